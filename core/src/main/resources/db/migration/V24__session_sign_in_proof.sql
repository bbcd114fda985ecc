-- What the sign-in that made a session proved, for the applications signing in through it: the email address
-- the upstream vouched for (it said email_verified, or its provider's Trust Email is on), and the upstream's
-- authentication methods (amr) and context class (acr) when it sent them.
alter table sessions add column verified_email text;
alter table sessions add column amr text[];
alter table sessions add column acr text;

-- The algorithm the broker signs a client's ID tokens, access tokens and logout tokens with: RS256 (the default, what
-- every relying party accepts) or ES256.
alter table clients add column signing_algorithm text not null default 'RS256'
    check (signing_algorithm in ('RS256', 'ES256'));

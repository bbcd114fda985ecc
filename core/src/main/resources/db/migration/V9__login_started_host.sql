-- The address (host and port) the browser used when it started a sign-in, to tell a callback that lost its cookie
-- because the browser came back to another address from one carried to another browser.
alter table login_transactions add column started_host text check (length(started_host) <= 300);

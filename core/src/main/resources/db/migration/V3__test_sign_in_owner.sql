-- A test sign-in (claims preview) belongs to the administrator who started it: only their session may see its result.
alter table login_transactions add column started_by uuid references users (id) on delete cascade;

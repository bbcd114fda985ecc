-- The installed provider types seed their default instances (IdentityProviderFactory.defaultInstance), each once;
-- a type recorded here has had its instance, so one an administrator deleted is never made again.
create table provider_seeds (
    type        text primary key,
    instance_id text not null,
    seeded_at   timestamptz not null default now()
);

-- V1 seeded GenericOidc by name. Left exactly as V1 made it (never saved: version 1, no secrets), the row goes back to
-- the seeding, which makes the same row again when the OpenID Connect type is installed (a fresh database always
-- takes this way). Changed or deleted, it is the administrator's: recorded as seeded and left alone.
insert into provider_seeds (type, instance_id)
select 'oidc', 'GenericOidc'
where not exists (select 1 from providers where id = 'GenericOidc' and type = 'oidc' and version = 1 and secrets = '{}'
                  and settings = '{"enabled": "false", "displayName": "OpenID Connect"}'::jsonb);

delete from providers where id = 'GenericOidc' and type = 'oidc' and version = 1 and secrets = '{}'
    and settings = '{"enabled": "false", "displayName": "OpenID Connect"}'::jsonb;

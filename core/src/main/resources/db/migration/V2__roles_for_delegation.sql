-- IdBroker schema, version 2: built-in roles that bundle part of the permissions, so an administrator
-- can delegate user, team or event work without handing out everything.

insert into roles (id, name, description, builtin, permissions) values
    ('user-viewer', 'User viewer', 'See user accounts, their external identities and teams.', true,
     array['view-users']),
    ('user-manager', 'User manager', 'See, create, change, disable and delete user accounts.', true,
     array['view-users', 'edit-users']),
    ('team-viewer', 'Team viewer', 'See teams, their members, external groups and roles.', true,
     array['view-teams']),
    ('team-manager', 'Team manager', 'See, create, change and delete teams, their members, external groups and roles.', true,
     array['view-teams', 'edit-teams']),
    ('authentication-manager', 'Authentication manager', 'Configure identity providers and sign-in settings.', true,
     array['configure-authentication']),
    ('event-viewer', 'Event viewer', 'Read the event log.', true,
     array['view-events']);

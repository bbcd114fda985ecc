package org.idbroker.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import jakarta.ws.rs.ext.ContextResolver;
import java.util.List;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.idbroker.server.auth.CsrfFilter;
import org.idbroker.server.web.ApiKeysResource;
import org.idbroker.server.web.AuthenticationResource;
import org.idbroker.server.web.BackchannelLogoutResource;
import org.idbroker.server.web.BodyLimit;
import org.idbroker.server.web.ConfigurationResource;
import org.idbroker.server.web.ErrorMappers;
import org.idbroker.server.web.EventsResource;
import org.idbroker.server.web.HealthResource;
import org.idbroker.server.web.MeResource;
import org.idbroker.server.web.MySessionsResource;
import org.idbroker.server.web.PagesResource;
import org.idbroker.server.web.PermissionsResource;
import org.idbroker.server.web.RolesResource;
import org.idbroker.server.web.SessionSettingsResource;
import org.idbroker.server.web.SignInResource;
import org.idbroker.server.web.PasswordSignInResource;
import org.idbroker.server.web.TeamsResource;
import org.idbroker.server.web.UserSessionsResource;
import org.idbroker.server.web.UsersResource;
import org.idbroker.server.web.oidc.AuthorizeResource;
import org.idbroker.server.web.oidc.ClientsResource;
import org.idbroker.server.web.oidc.DiscoveryResource;
import org.idbroker.server.web.oidc.IntrospectionResource;
import org.idbroker.server.web.oidc.RevocationResource;
import org.idbroker.server.web.oidc.LogoutResource;
import org.idbroker.server.web.oidc.LogoutReturnResource;
import org.idbroker.server.web.oidc.TokenResource;
import org.idbroker.server.web.oidc.UserInfoResource;

/** The HTTP API: Jersey resources built by Guice, JSON by Jackson, errors as JSON. */
public final class WebModule extends AbstractModule {

    /** The resource classes, each a Guice singleton. Add a feature's resource here. */
    static final List<Class<?>> RESOURCES = List.of(
            HealthResource.class,
            AuthenticationResource.class,
            SignInResource.class,
            PasswordSignInResource.class,
            MeResource.class,
            MySessionsResource.class,
            UserSessionsResource.class,
            SessionSettingsResource.class,
            BackchannelLogoutResource.class,
            ConfigurationResource.class,
            UsersResource.class,
            ApiKeysResource.class,
            TeamsResource.class,
            RolesResource.class,
            PermissionsResource.class,
            EventsResource.class,
            ClientsResource.class,
            DiscoveryResource.class,
            DiscoveryResource.Jwks.class,
            AuthorizeResource.class,
            TokenResource.class,
            UserInfoResource.class,
            LogoutResource.class,
            RevocationResource.class,
            IntrospectionResource.class,
            LogoutReturnResource.class,
            PagesResource.class);

    /** Hands Jersey the broker's Jackson configuration. */
    static final class ObjectMapperResolver implements ContextResolver<ObjectMapper> {
        private final ObjectMapper mapper;

        ObjectMapperResolver(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public ObjectMapper getContext(Class<?> type) {
            return mapper;
        }
    }

    @Provides
    @Singleton
    ObjectMapper objectMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    @Provides
    @Singleton
    ResourceConfig resourceConfig(Injector injector, ObjectMapper mapper) {
        ResourceConfig rc = new ResourceConfig();
        rc.property(CommonProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        rc.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        rc.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        rc.property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
        rc.register(JacksonFeature.withoutExceptionMappers());
        rc.register(new ObjectMapperResolver(mapper));
        rc.register(new ErrorMappers.Api());
        rc.register(new ErrorMappers.ChangeRefused());
        rc.register(new ErrorMappers.Json());
        rc.register(new ErrorMappers.BadHeader());
        rc.register(new ErrorMappers.IllegalArgument());
        rc.register(new ErrorMappers.Web());
        rc.register(new ErrorMappers.DatabaseBusy());
        rc.register(new ErrorMappers.Any());
        rc.register(new CsrfFilter());
        rc.register(new BodyLimit());
        for (Class<?> resource : RESOURCES) {
            rc.register(injector.getInstance(resource));
        }
        return rc;
    }
}

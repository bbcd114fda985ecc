package org.idbroker.server.operations;

import static java.util.Objects.requireNonNull;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Sends what arrives on the management connector to the management handler, and everything else on. */
final class ManagementRouter extends Handler.Wrapper {

    private final Connector management;
    private final Handler managementHandler;

    ManagementRouter(Handler application, Connector management, Handler managementHandler) {
        super(application);
        this.management = requireNonNull(management, "management is null");
        this.managementHandler = requireNonNull(managementHandler, "managementHandler is null");
        addBean(managementHandler);
    }

    @Override
    public void setServer(org.eclipse.jetty.server.Server server) {
        super.setServer(server);
        managementHandler.setServer(server);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() == management) {
            return managementHandler.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }
}

package org.idbroker.server.providers;

/**
 * Runs a call into a provider with the provider's own class loader as the thread's context class
 * loader, as Trino does around every plugin call: a library inside a drop-in jar that looks things up
 * through the context class loader (ServiceLoader, JAXP, logging back ends) then finds them in that
 * jar, not in the host.
 */
final class ProviderCalls {

    private ProviderCalls() {
    }

    /** A call that may throw a checked exception of its own. */
    @FunctionalInterface
    interface Call<T, E extends Exception> {
        T run() throws E;
    }

    static <T, E extends Exception> T in(ClassLoader loader, Call<T, E> call) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (previous == loader) {
            return call.run();
        }
        thread.setContextClassLoader(loader);
        try {
            return call.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}

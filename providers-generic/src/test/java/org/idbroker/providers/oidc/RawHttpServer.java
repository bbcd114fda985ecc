package org.idbroker.providers.oidc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A server that answers every connection with the bytes a test wrote, whatever was asked: for what
 * the JDK's HttpServer will not do, such as a wrong Date header or plain HTTP where TLS is expected.
 */
final class RawHttpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread thread;

    RawHttpServer(Supplier<String> response) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    readRequest(connection.getInputStream());
                    OutputStream out = connection.getOutputStream();
                    out.write(response.get().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    // closed, or the client gave up: next connection
                }
            }
        }, "raw-http");
        thread.setDaemon(true);
        thread.start();
    }

    /** A complete HTTP/1.1 answer with these headers and body. */
    static String response(String headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 200 OK\r\n" + headers + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + body;
    }

    int port() {
        return socket.getLocalPort();
    }

    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            seen.write(b);
            String text = seen.toString(StandardCharsets.ISO_8859_1);
            // the end of an HTTP request's headers, or a TLS ClientHello's first record (0x16 0x03 ...)
            if (text.endsWith("\r\n\r\n") || seen.size() >= 5 && text.charAt(0) == 0x16) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

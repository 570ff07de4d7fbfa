package io.connectionmanager.test.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Real clients for the tests: the JDK WebSocket client and plain sockets. */
public final class Clients {

	/**
	 * One shared JDK client: each HttpClient keeps a selector thread alive until
	 * garbage-collected.
	 */
	public static final HttpClient HTTP = HttpClient.newHttpClient();

	private Clients() {
	}

	public static CompletableFuture<WebSocket> connectAsync(HttpClient client, URI uri, RecordingListener listener) {
		return client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, listener);
	}

	public static WebSocket connect(URI uri, RecordingListener listener) {
		return await(connectAsync(HTTP, uri, listener));
	}

	public static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException e) {
			throw new IllegalStateException(e.getCause());
		}
		catch (InterruptedException | TimeoutException e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * The cause a future failed with, waiting up to 10 s; fails if it completed normally.
	 */
	public static Throwable failureOf(CompletableFuture<?> future) {
		try {
			future.get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException e) {
			return e.getCause();
		}
		catch (InterruptedException | TimeoutException e) {
			throw new IllegalStateException(e);
		}
		throw new AssertionError("expected a failure, got a result");
	}

	public static Socket socket(int port) {
		try {
			Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
			socket.setSoTimeout(5000);
			socket.setTcpNoDelay(true);
			return socket;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static void writeLine(Socket socket, String line) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	/** Reads up to and excluding the next newline; {@code null} at end of stream. */
	public static String readLine(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		StringBuilder line = new StringBuilder();
		for (int b; (b = in.read()) != -1;) {
			if (b == '\n') {
				return line.toString();
			}
			line.append((char) b);
		}
		return line.length() == 0 ? null : line.toString();
	}

}

package io.connectionmanager.test.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * A real redis-server (Debian's package, installed by {@code .ci/run}) on a free loopback
 * port, without persistence: a restart loses every key, like a failed-over Redis that
 * lost its locks. Without redis-server the calling test is skipped, except under
 * {@code CI=true}, where it fails.
 */
public final class RedisServer implements AutoCloseable {

	private static final Duration START_BOUND = Duration.ofSeconds(30);

	private final int port;

	private final ProcessBuilder.Redirect output;

	private Process process;

	private RedisServer(int port, ProcessBuilder.Redirect output) {
		this.port = port;
		this.output = output;
	}

	/** Starts a server whose output is discarded. */
	public static RedisServer start() throws IOException {
		return start(ProcessBuilder.Redirect.DISCARD);
	}

	/** Starts a server that logs to {@code redis-server.log} in this directory. */
	public static RedisServer start(Path directory) throws IOException {
		return start(ProcessBuilder.Redirect.appendTo(directory.resolve("redis-server.log").toFile()));
	}

	private static RedisServer start(ProcessBuilder.Redirect output) throws IOException {
		String executable = executable();
		RedisServer redis = new RedisServer(freePort(), output);
		redis.launch(executable);
		return redis;
	}

	private static String executable() {
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException(
					"redis-server is not installed (.ci/run installs it: apt-get install redis-server)");
		}
		Assumptions.abort("redis-server is not installed (apt-get install redis-server)");
		return null;
	}

	public int port() {
		return this.port;
	}

	/** Kills the server (SIGKILL): every key is lost, clients see refused connections. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/** Starts it again on the same port, empty. */
	public void restart() throws IOException {
		launch(executable());
	}

	private void launch(String executable) throws IOException {
		this.process = new ProcessBuilder(executable, "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--protected-mode", "no")
			.redirectErrorStream(true)
			.redirectOutput(this.output)
			.start();
		await().atMost(START_BOUND).ignoreExceptions().until(this::ping);
	}

	private boolean ping() throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
	}

}

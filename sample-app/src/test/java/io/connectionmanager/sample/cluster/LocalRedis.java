package io.connectionmanager.sample.cluster;

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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * Debian's redis-server on a free loopback port, without persistence (installed by
 * {@code .ci/run}; skipped without it, except under {@code CI=true}).
 */
final class LocalRedis implements AutoCloseable {

	private final int port;

	private final Process process;

	private LocalRedis(int port, Process process) {
		this.port = port;
		this.process = process;
	}

	static LocalRedis start() throws IOException {
		Path executable = Path.of("/usr/bin/redis-server");
		if (!Files.isExecutable(executable)) {
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException("redis-server is not installed (.ci/run installs it)");
			}
			Assumptions.abort("redis-server is not installed (apt-get install redis-server)");
		}
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Process process = new ProcessBuilder(executable.toString(), "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		LocalRedis redis = new LocalRedis(port, process);
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(redis::ping);
		return redis;
	}

	int port() {
		return this.port;
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

	@Override
	public void close() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

}

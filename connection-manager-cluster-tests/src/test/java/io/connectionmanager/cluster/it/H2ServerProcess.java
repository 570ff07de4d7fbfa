package io.connectionmanager.cluster.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * H2 in server mode, in a JVM of its own (PostgreSQL refuses to run as root): the
 * replicas share its in-memory database over TCP, as they would share a real database.
 */
final class H2ServerProcess implements AutoCloseable {

	private final int port;

	private final Process process;

	private H2ServerProcess(int port, Process process) {
		this.port = port;
		this.process = process;
	}

	static H2ServerProcess start(Path directory) throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-cp", System.getProperty("java.class.path"), "org.h2.tools.Server", "-tcp", "-tcpPort",
				Integer.toString(port), "-ifNotExists"))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("h2-server.log").toFile()))
			.start();
		H2ServerProcess server = new H2ServerProcess(port, process);
		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
			try (Connection connection = DriverManager.getConnection(server.url(), "sa", "")) {
				return connection.isValid(1);
			}
		});
		return server;
	}

	/** The shared database: in memory, kept while the server runs. */
	String url() {
		return "jdbc:h2:tcp://127.0.0.1:" + this.port + "/mem:cluster;DB_CLOSE_DELAY=-1";
	}

	/** Spring Integration's lock table (schema-h2.sql). */
	void createLockTable() throws Exception {
		try (Connection connection = DriverManager.getConnection(url(), "sa", "")) {
			connection.createStatement()
				.execute("CREATE TABLE INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL,"
						+ " CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL,"
						+ " CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION))");
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

}

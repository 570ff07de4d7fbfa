package io.connectionmanager.test.kit;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.connectionmanager.test.server.LineConnection;
import io.connectionmanager.test.server.TestLineServer;

/**
 * A newline-framed TCP server on loopback that a test scripts: send lines, drop or freeze
 * the connection, and expect what the client sends. Received lines are recorded in order
 * and not echoed.
 */
public final class ScriptedLineServer implements AutoCloseable {

	private final TestLineServer server;

	private final Inbox inbox = new Inbox();

	private ScriptedLineServer(TestLineServer server) {
		this.server = server;
		server.onLine((connection, line) -> this.inbox.add(line));
	}

	/** Start a server on a free loopback port. */
	public static ScriptedLineServer start() {
		return new ScriptedLineServer(TestLineServer.start());
	}

	/** The {@code tcp://} URL of this server, for a connection's url. */
	public URI url() {
		return URI.create("tcp://127.0.0.1:" + this.server.port());
	}

	/** The port the server listens on. */
	public int port() {
		return this.server.port();
	}

	/** Send {@code line} to every open client connection. */
	public ScriptedLineServer send(String line) {
		this.server.connections().forEach((connection) -> connection.send(line));
		return this;
	}

	/** Reset every open connection, as a network failure would. */
	public ScriptedLineServer drop() {
		this.server.connections().forEach(LineConnection::abort);
		return this;
	}

	/** Stop reading and writing on every connection without closing it (a hung peer). */
	public ScriptedLineServer freeze() {
		this.server.freeze();
		return this;
	}

	/** Resume after {@link #freeze()}. */
	public ScriptedLineServer unfreeze() {
		this.server.unfreeze();
		return this;
	}

	/**
	 * Wait for the next line from a client that no earlier call has returned.
	 * @param within how long to wait
	 * @return the line
	 * @throws AssertionError if none arrives in time
	 */
	public String expectMessage(Duration within) {
		return this.inbox.expect(within);
	}

	/** Every line received from clients so far, in order. */
	public List<String> received() {
		return this.inbox.all();
	}

	/** How many client connections are open now. */
	public int openConnections() {
		return (int) this.server.connections().stream().filter(LineConnection::isOpen).count();
	}

	@Override
	public void close() {
		this.server.close();
	}

}

package io.connectionmanager.test.kit;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.connectionmanager.test.server.ServerConnection;
import io.connectionmanager.test.server.TestWebSocketServer;

/**
 * A WebSocket server on loopback that a test scripts: accept or reject upgrades, send to
 * the client, drop or freeze the connection, and expect what the client sends. Each text
 * message received is recorded in order.
 */
public final class ScriptedServer implements AutoCloseable {

	private final TestWebSocketServer server;

	private final Inbox inbox = new Inbox();

	private volatile Function<String, String> responder = (message) -> null;

	private ScriptedServer(TestWebSocketServer server) {
		this.server = server;
		server.onText((connection, text) -> {
			this.inbox.add(text);
			String reply = this.responder.apply(text);
			if (reply != null) {
				connection.sendText(reply);
			}
		});
	}

	/** Start a server on a free loopback port, accepting upgrades. */
	public static ScriptedServer start() {
		return new ScriptedServer(TestWebSocketServer.start());
	}

	/** The {@code ws://} URL of {@code path} on this server, for a connection's url. */
	public URI url(String path) {
		return this.server.uri(path);
	}

	/** The port the server listens on. */
	public int port() {
		return this.server.port();
	}

	/** Complete the upgrades that follow (the default). */
	public ScriptedServer accept() {
		this.server.acceptUpgrades();
		return this;
	}

	/** Answer the upgrades that follow with {@code httpStatus} instead of 101. */
	public ScriptedServer reject(int httpStatus) {
		this.server.rejectUpgrades(httpStatus);
		return this;
	}

	/**
	 * Answer each message a client sends with what {@code responder} returns for it
	 * ({@code null}: no answer), e.g. to complete a handler's authentication or answer
	 * its application pings. Replaces the previous responder; messages are still
	 * recorded.
	 */
	public ScriptedServer respond(Function<String, String> responder) {
		this.responder = Objects.requireNonNull(responder, "responder");
		return this;
	}

	/** Send {@code text} to every open client connection. */
	public ScriptedServer send(String text) {
		this.server.broadcastText(text);
		return this;
	}

	/** Cut every open connection without a close frame, as a network failure would. */
	public ScriptedServer drop() {
		this.server.connections().forEach(ServerConnection::abort);
		return this;
	}

	/** Close every open connection with a WebSocket close frame. */
	public ScriptedServer close(int code, String reason) {
		this.server.closeAll(code, reason);
		return this;
	}

	/**
	 * Stop reading and writing on every connection, without closing any: pings go
	 * unanswered, as with a hung peer. New connections are frozen too until
	 * {@link #unfreeze()}.
	 */
	public ScriptedServer freeze() {
		this.server.freeze();
		return this;
	}

	/** Resume reading and writing after {@link #freeze()}. */
	public ScriptedServer unfreeze() {
		this.server.unfreeze();
		return this;
	}

	/**
	 * Wait for the next text message from a client that no earlier call has returned.
	 * @param within how long to wait
	 * @return the message
	 * @throws AssertionError if none arrives in time
	 */
	public String expectMessage(Duration within) {
		return this.inbox.expect(within);
	}

	/** Every text message received from clients so far, in order. */
	public List<String> received() {
		return this.inbox.all();
	}

	/** How many upgrade requests arrived (accepted or not). */
	public int handshakeCount() {
		return this.server.handshakeCount();
	}

	/** How many client connections are open now. */
	public int openConnections() {
		return (int) this.server.connections().stream().filter(ServerConnection::isOpen).count();
	}

	@Override
	public void close() {
		this.server.close();
	}

}

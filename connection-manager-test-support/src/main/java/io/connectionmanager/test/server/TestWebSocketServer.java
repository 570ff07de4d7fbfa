package io.connectionmanager.test.server;

import io.connectionmanager.test.net.ByteCounter;
import io.connectionmanager.test.net.LoopbackServer;
import io.connectionmanager.test.tls.TestTls;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A real WebSocket server on 127.0.0.1 whose misbehaviour a test controls: it can crash
 * and come back on the same port ({@link #kill()}/{@link #restart()}), hang
 * ({@link #freeze()}), refuse or stall upgrades, stop answering pings, and it records
 * every upgrade attempt. By default it echoes text and binary messages.
 *
 * <p>
 * Hooks run on the server's event loop: keep them short and non-blocking.
 */
public final class TestWebSocketServer extends LoopbackServer {

	private static final int MAX_UPGRADE_REQUEST_BYTES = 64 * 1024;

	private final SslContext sslContext;

	private final Set<String> subprotocols;

	private final WebSocketDecoderConfig decoderConfig;

	private final boolean compression;

	private final ByteCounter wire = new ByteCounter();

	private final List<String> clientCertificateSubjects = new CopyOnWriteArrayList<>();

	private final UpgradePolicy policy = new UpgradePolicy();

	private final List<HandshakeRecord> handshakes = new CopyOnWriteArrayList<>();

	private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();

	private final LongAdder texts = new LongAdder();

	private final LongAdder binaries = new LongAdder();

	private final LongAdder pings = new LongAdder();

	private final LongAdder pongs = new LongAdder();

	private volatile boolean answerPings = true;

	private volatile BiConsumer<ServerConnection, String> onText;

	private volatile BiConsumer<ServerConnection, byte[]> onBinary;

	private volatile java.util.function.Consumer<ServerConnection> onOpen;

	private TestWebSocketServer(Builder builder) {
		super("cm-test-ws-server", 2);
		this.sslContext = builder.sslContext;
		this.subprotocols = Set.copyOf(builder.subprotocols);
		this.decoderConfig = WebSocketDecoderConfig.newBuilder()
			.maxFramePayloadLength(builder.maxFramePayloadLength)
			// compressed frames carry RSV1
			.allowExtensions(builder.compression)
			.build();
		this.compression = builder.compression;
	}

	/** A plain {@code ws://} echo server on an ephemeral port. */
	public static TestWebSocketServer start() {
		return builder().start();
	}

	public static Builder builder() {
		return new Builder();
	}

	/** {@code ws://127.0.0.1:PORT/path}, or {@code wss://} when TLS is on. */
	public URI uri(String path) {
		String normalized = path.startsWith("/") ? path : "/" + path;
		return URI.create((isTls() ? "wss" : "ws") + "://127.0.0.1:" + port() + normalized);
	}

	public boolean isTls() {
		return sslContext != null;
	}

	// ---- upgrade behaviour
	// -------------------------------------------------------------------

	/**
	 * Answers every upgrade with this HTTP status (e.g. 503, 401, 429) until
	 * {@link #acceptUpgrades()}.
	 */
	public void rejectUpgrades(int httpStatus) {
		policy.reject(httpStatus, null);
	}

	/**
	 * As {@link #rejectUpgrades(int)}, with a {@code Retry-After} header in whole
	 * seconds.
	 */
	public void rejectUpgrades(int httpStatus, Duration retryAfter) {
		policy.reject(httpStatus, retryAfter);
	}

	public void acceptUpgrades() {
		policy.accept();
	}

	/** Upgrades whose request lacks this exact header value are answered 401. */
	public void requireHeader(String name, String value) {
		policy.requireHeader(name, value);
	}

	public void clearRequiredHeaders() {
		policy.clearRequiredHeaders();
	}

	/** When on, upgrade requests are read and never answered: an endless handshake. */
	public void stallHandshakes(boolean stall) {
		policy.stall(stall);
	}

	/** Every upgrade attempt so far, oldest first (a snapshot). */
	public List<HandshakeRecord> handshakes() {
		return List.copyOf(handshakes);
	}

	public int handshakeCount() {
		return handshakes.size();
	}

	// ---- messages
	// ----------------------------------------------------------------------------

	/**
	 * Replaces echo for text messages; {@code null} restores echo. A hook that throws
	 * closes that connection.
	 */
	/**
	 * Called on the connection's event loop once each 101 response is written (e.g. to
	 * start streaming).
	 */
	public void onOpen(java.util.function.Consumer<ServerConnection> handler) {
		this.onOpen = handler;
	}

	public void onText(BiConsumer<ServerConnection, String> handler) {
		this.onText = handler;
	}

	/** Replaces echo for binary messages; {@code null} restores echo. */
	public void onBinary(BiConsumer<ServerConnection, byte[]> handler) {
		this.onBinary = handler;
	}

	/** Open, upgraded connections. */
	public List<ServerConnection> connections() {
		return connections.stream().filter(ServerConnection::isOpen).toList();
	}

	public void broadcastText(String text) {
		connections().forEach(c -> c.sendText(text));
	}

	/**
	 * Sends a close frame on every connection; returns when all frames are written
	 * (called from a hook: at once).
	 */
	public void closeAll(int code, String reason) {
		CompletableFuture<Void> all = CompletableFuture.allOf(connections().stream()
			.map(c -> c.close(code, reason).exceptionally(e -> null))
			.toArray(CompletableFuture[]::new));
		if (!inEventLoop()) {
			all.join();
		}
	}

	/**
	 * Bytes written to clients, as on the wire (TLS records, compressed frames), since
	 * start or {@link #resetByteCounts()}.
	 */
	public long bytesSent() {
		return wire.bytesWritten();
	}

	/** Bytes read from clients, as on the wire. */
	public long bytesReceived() {
		return wire.bytesRead();
	}

	public void resetByteCounts() {
		wire.reset();
	}

	/**
	 * Subjects of the client certificates of completed TLS handshakes, in order (for a
	 * server that requires one).
	 */
	public List<String> clientCertificateSubjects() {
		return List.copyOf(clientCertificateSubjects);
	}

	/** {@code false} models a peer that still sends data but no longer answers pings. */
	public void setAnswerPings(boolean answer) {
		this.answerPings = answer;
	}

	private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

	public long pingsReceived() {
		return pings.sum();
	}

	public long pongsReceived() {
		return pongs.sum();
	}

	public long textMessagesReceived() {
		return texts.sum();
	}

	public long binaryMessagesReceived() {
		return binaries.sum();
	}

	/**
	 * Close codes from the clients' close frames, in arrival order (1005 when a frame had
	 * none).
	 */
	public List<Integer> closeCodesReceived() {
		return List.copyOf(closeCodes);
	}

	void closeReceived(int code) {
		closeCodes.add(code == -1 ? 1005 : code);
	}

	// ---- wiring
	// ------------------------------------------------------------------------------

	@Override
	protected void initConnection(SocketChannel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		pipeline.addFirst("wire-bytes", wire);
		if (sslContext != null) {
			SslHandler tls = sslContext.newHandler(channel.alloc());
			tls.handshakeFuture().addListener(f -> {
				if (f.isSuccess() && tls.engine().getNeedClientAuth()) {
					clientCertificateSubjects.add(tls.engine().getSession().getPeerPrincipal().getName());
				}
			});
			pipeline.addLast(tls);
		}
		pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BYTES));
		if (compression) {
			// Netty's permessage-deflate (and deflate-frame) server extension
			pipeline.addLast(new WebSocketServerCompressionHandler());
		}
		pipeline.addLast(new UpgradeHandler(this));
	}

	UpgradePolicy policy() {
		return policy;
	}

	Set<String> subprotocols() {
		return subprotocols;
	}

	String subprotocolHeader() {
		return subprotocols.isEmpty() ? null : String.join(",", subprotocols);
	}

	WebSocketDecoderConfig decoderConfig() {
		return decoderConfig;
	}

	void record(HandshakeRecord record) {
		handshakes.add(record);
	}

	void opened(ServerConnection connection) {
		connections.add(connection);
	}

	void upgraded(ServerConnection connection) {
		java.util.function.Consumer<ServerConnection> handler = onOpen;
		if (handler != null) {
			handler.accept(connection);
		}
	}

	void closed(ServerConnection connection) {
		connections.remove(connection);
	}

	void textReceived(ServerConnection connection, String text) {
		texts.increment();
		BiConsumer<ServerConnection, String> handler = onText;
		if (handler == null) {
			connection.sendText(text);
		}
		else {
			handler.accept(connection, text);
		}
	}

	void binaryReceived(ServerConnection connection, byte[] data) {
		binaries.increment();
		BiConsumer<ServerConnection, byte[]> handler = onBinary;
		if (handler == null) {
			connection.sendBinary(data);
		}
		else {
			handler.accept(connection, data);
		}
	}

	/** Counts a ping; returns whether to answer it. */
	boolean pingReceived() {
		pings.increment();
		return answerPings;
	}

	void pongReceived() {
		pongs.increment();
	}

	/** Options fixed for the server's lifetime. */
	public static final class Builder {

		private SslContext sslContext;

		private List<String> subprotocols = List.of();

		private int maxFramePayloadLength = 65536;

		private boolean compression;

		private Builder() {
		}

		/**
		 * Serves {@code wss://} with a certificate valid for localhost and 127.0.0.1 (see
		 * {@link TestTls}).
		 */
		public Builder tls() {
			return sslContext(TestTls.serverContext(true));
		}

		/**
		 * Serves {@code wss://} with a trusted certificate for another host name, for
		 * hostname-verification tests.
		 */
		public Builder tlsWithWrongHostname() {
			return sslContext(TestTls.serverContext(false));
		}

		/**
		 * Serves {@code wss://} for {@code localhost}/{@code 127.0.0.1} and requires a
		 * client certificate from the test client CA (see {@link TestTls}).
		 */
		public Builder tlsRequiringClientCertificate() {
			return sslContext(TestTls.serverContextRequiringClientCertificate());
		}

		/**
		 * Accepts permessage-deflate when a client offers it (otherwise frames are
		 * uncompressed).
		 */
		public Builder compression() {
			this.compression = true;
			return this;
		}

		public Builder sslContext(SslContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * Subprotocols the server accepts; the client's first supported offer is
		 * selected.
		 */
		public Builder subprotocols(String... subprotocols) {
			this.subprotocols = List.of(subprotocols);
			return this;
		}

		/**
		 * Larger frames (and aggregated messages) make the server close with 1009.
		 * Default 64 KiB.
		 */
		public Builder maxFramePayloadLength(int bytes) {
			this.maxFramePayloadLength = bytes;
			return this;
		}

		public TestWebSocketServer start() {
			return started(new TestWebSocketServer(this));
		}

	}

}

package io.connectionmanager.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.ManagedConnectionBuilder;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.connectionmanager.core.internal.transport.websocket.NettyWebSocketTransport;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The three ways of sending over one WebSocket that the overhead scenario compares: the
 * raw Netty transport session, a {@link ManagedConnection} on that same transport, and
 * OkHttp. Each sends text from any thread and hands every text it receives to
 * {@link #onText}, on the thread it arrives on.
 */
final class EchoClients {

	private EchoClients() {
	}

	/** One open WebSocket. */
	interface EchoClient extends AutoCloseable {

		String kind();

		void send(String text);

		/** Where received texts go; set before sending. */
		void onText(Consumer<String> consumer);

		/**
		 * Sends the client refused (their futures failed): never counted as in flight.
		 */
		default long rejected() {
			return 0;
		}

		/** The first refusal, or {@code null}. */
		default String firstRejection() {
			return null;
		}

		@Override
		void close();

	}

	/**
	 * The engine's own transport used directly: no state machine, no heartbeats, no
	 * counters.
	 */
	static EchoClient raw(URI uri, ConnectionRuntime runtime) throws Exception {
		ConnectionSettings settings = Bench.settings("raw", uri).build();
		NettyWebSocketTransport transport = new NettyWebSocketTransport(settings, runtime.ioGroup().next());
		RawClient client = new RawClient(transport);
		client.session = transport.open(new ConnectRequest(uri, Map.of(), Duration.ofSeconds(10)), client)
			.get(10, TimeUnit.SECONDS);
		return client;
	}

	/**
	 * A managed connection as an application gets it by default: heartbeats on (15 s idle
	 * interval, 10 s timeout), received messages handed to the runtime's handler pool.
	 */
	static EchoClient managed(URI uri, ConnectionRuntime runtime) throws Exception {
		return managed(uri, runtime, null);
	}

	/**
	 * The same with {@code handlerExecutor(Runnable::run)}: the handler runs on the event
	 * loop, without the hop to the handler pool. Not a default; measured to show what
	 * that hop costs.
	 */
	static EchoClient managedDirect(URI uri, ConnectionRuntime runtime) throws Exception {
		return managed(uri, runtime, Runnable::run);
	}

	private static EchoClient managed(URI uri, ConnectionRuntime runtime, Executor handlerExecutor) throws Exception {
		ManagedClient client = new ManagedClient((handlerExecutor != null) ? "managed_direct" : "managed");
		CountDownLatch connected = new CountDownLatch(1);
		ConnectionSettings settings = Bench.settings("managed", uri).heartbeat(HeartbeatSettings.defaults()).build();
		ManagedConnectionBuilder builder = ManagedConnection.builder(settings).runtime(runtime);
		if (handlerExecutor != null) {
			builder.handlerExecutor(handlerExecutor);
		}
		client.connection = builder.handler(client).listener(new ConnectionListener() {
			@Override
			public void onStateChanged(StateChange change) {
				if (change.current() == ConnectionState.CONNECTED) {
					connected.countDown();
				}
			}
		}).build();
		client.connection.connect();
		if (!connected.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("managed connection did not connect: " + client.connection.snapshot());
		}
		return client;
	}

	/**
	 * OkHttp with a 15 s ping interval (the closest match to the managed connection's
	 * defaults).
	 */
	static EchoClient okhttp(URI uri) throws Exception {
		OkHttpClient http = OkHttp.client(Duration.ofSeconds(15));
		OkHttpEcho client = new OkHttpEcho(http);
		CountDownLatch open = new CountDownLatch(1);
		client.open = open;
		client.webSocket = http.newWebSocket(new Request.Builder().url(OkHttp.httpUrl(uri)).build(), client);
		if (!open.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("OkHttp WebSocket did not open");
		}
		return client;
	}

	private static final class RawClient implements EchoClient, TransportListener {

		private final NettyWebSocketTransport transport;

		private volatile TransportSession session;

		private volatile Consumer<String> consumer = (text) -> {
		};

		RawClient(NettyWebSocketTransport transport) {
			this.transport = transport;
		}

		@Override
		public String kind() {
			return "raw";
		}

		@Override
		public void send(String text) {
			this.session.send(Message.text(text));
		}

		@Override
		public void onText(Consumer<String> consumer) {
			this.consumer = consumer;
		}

		@Override
		public void onMessage(Message message) {
			this.consumer.accept(((Message.Text) message).text());
		}

		@Override
		public void onPong() {
		}

		@Override
		public void onPing() {
		}

		@Override
		public void onClosed(int code, String reason) {
		}

		@Override
		public void onError(Throwable error) {
		}

		@Override
		public void close() {
			try {
				this.session.close(1000, "done").get(5, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				this.session.abort();
			}
			this.transport.close();
		}

	}

	private static final class ManagedClient implements EchoClient, ConnectionHandler {

		private final String kind;

		private final LongAdder rejected = new LongAdder();

		private final AtomicReference<String> firstRejection = new AtomicReference<>();

		private ManagedConnection connection;

		ManagedClient(String kind) {
			this.kind = kind;
		}

		private volatile Consumer<String> consumer = (text) -> {
		};

		@Override
		public String kind() {
			return this.kind;
		}

		@Override
		public void send(String text) {
			CompletableFuture<Void> sent = this.connection.send(text);
			if (!sent.isDone()) {
				sent.whenComplete((done, failure) -> reject(failure));
			}
			else if (sent.isCompletedExceptionally()) {
				sent.whenComplete((done, failure) -> reject(failure));
			}
		}

		private void reject(Throwable failure) {
			if (failure != null) {
				this.rejected.increment();
				this.firstRejection.compareAndSet(null, String.valueOf(failure));
			}
		}

		@Override
		public long rejected() {
			return this.rejected.sum();
		}

		@Override
		public String firstRejection() {
			return this.firstRejection.get();
		}

		@Override
		public void onText(Consumer<String> consumer) {
			this.consumer = consumer;
		}

		@Override
		public void onMessage(Message message) {
			this.consumer.accept(((Message.Text) message).text());
		}

		@Override
		public void close() {
			this.connection.close();
		}

	}

	private static final class OkHttpEcho extends WebSocketListener implements EchoClient {

		private final OkHttpClient http;

		private volatile WebSocket webSocket;

		private volatile CountDownLatch open;

		private volatile Consumer<String> consumer = (text) -> {
		};

		OkHttpEcho(OkHttpClient http) {
			this.http = http;
		}

		@Override
		public String kind() {
			return "okhttp";
		}

		@Override
		public void send(String text) {
			if (!this.webSocket.send(text)) {
				throw new IllegalStateException("OkHttp refused a message (queue over 16 MiB or closed)");
			}
		}

		@Override
		public void onText(Consumer<String> consumer) {
			this.consumer = consumer;
		}

		@Override
		public void onOpen(WebSocket webSocket, Response response) {
			this.open.countDown();
		}

		@Override
		public void onMessage(WebSocket webSocket, String text) {
			this.consumer.accept(text);
		}

		@Override
		public void close() {
			this.webSocket.close(1000, "done");
			OkHttp.shutdown(this.http);
		}

	}

}

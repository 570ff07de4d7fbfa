package io.connectionmanager.core.spi;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;

/**
 * The transport SPI example from the README: wrapping a client the project does not ship
 * (here the JDK's {@code java.net.http} WebSocket) gives it the engine's states, backoff,
 * heartbeats, breaker and events.
 */
final class JdkWebSocketTransport implements Transport {

	private final HttpClient client = HttpClient.newHttpClient();

	@Override
	public CompletableFuture<TransportSession> open(ConnectRequest request, TransportListener listener) {
		WebSocket.Builder builder = this.client.newWebSocketBuilder().connectTimeout(request.connectTimeout());
		request.headers().forEach(builder::header);
		return builder.buildAsync(request.uri(), new Listener(listener)).thenApply(Session::new);
	}

	private record Session(WebSocket socket) implements TransportSession {

		@Override
		public CompletableFuture<Void> send(Message message) {
			CompletableFuture<WebSocket> sent = (message instanceof Message.Text text)
					? this.socket.sendText(text.text(), true)
					: this.socket.sendBinary(ByteBuffer.wrap(((Message.Binary) message).data()), true);
			return sent.thenApply((socket) -> null);
		}

		@Override
		public boolean ping(byte[] payload) {
			this.socket.sendPing(ByteBuffer.wrap(payload));
			return true;
		}

		@Override
		public CompletableFuture<Void> close(int code, String reason) {
			return this.socket.sendClose(code, reason).thenApply((socket) -> null);
		}

		@Override
		public void abort() {
			this.socket.abort();
		}

	}

	private record Listener(TransportListener engine) implements WebSocket.Listener {

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			this.engine.onMessage(Message.text(data.toString()));
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onPong(WebSocket socket, ByteBuffer message) {
			this.engine.onPong();
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onPing(WebSocket socket, ByteBuffer message) {
			this.engine.onPing();
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
			this.engine.onClosed(statusCode, reason);
			return null;
		}

		@Override
		public void onError(WebSocket socket, Throwable error) {
			this.engine.onError(error);
		}

	}

}

package io.connectionmanager.test.support;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** A JDK WebSocket listener that records what happens, for assertions with timeouts. */
public final class RecordingListener implements WebSocket.Listener {

	public record Close(int code, String reason) {
	}

	public final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	public final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();

	public final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();

	public final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();

	public final CompletableFuture<Close> closed = new CompletableFuture<>();

	public final CompletableFuture<Throwable> error = new CompletableFuture<>();

	private final StringBuilder partialText = new StringBuilder();

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(Long.MAX_VALUE);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		partialText.append(data);
		if (last) {
			texts.add(partialText.toString());
			partialText.setLength(0);
		}
		return null;
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		binaries.add(bytes(data));
		return null;
	}

	@Override
	public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
		pings.add(bytes(message));
		return null;
	}

	@Override
	public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
		pongs.add(bytes(message));
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		closed.complete(new Close(statusCode, reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.error.complete(error);
	}

	/** The next complete text message, waiting up to 5 s. */
	public String nextText() {
		return poll(texts);
	}

	public byte[] nextPong() {
		return poll(pongs);
	}

	private static <T> T poll(BlockingQueue<T> queue) {
		try {
			T value = queue.poll(5, TimeUnit.SECONDS);
			if (value == null) {
				fail("nothing received within 5 s");
			}
			return value;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] copy = new byte[buffer.remaining()];
		buffer.get(copy);
		return copy;
	}

}

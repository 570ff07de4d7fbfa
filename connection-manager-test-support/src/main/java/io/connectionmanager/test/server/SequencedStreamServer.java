package io.connectionmanager.test.server;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A WebSocket server that publishes one numbered stream, 1..total, as text frames holding
 * the number, and lets a client resume: after {@code ?resume-from=N} in the URL, a
 * {@code Resume-From: N} header, or a first message {@code resume N}, it sends N+1
 * onwards. Without any, it starts at 1. It keeps the stream flowing as fast as the client
 * reads (or at a fixed pace), so kill/restart and proxy faults hit it mid-stream.
 * {@link #skipOnce} makes it lose a range once, for gap detection.
 */
public final class SequencedStreamServer implements AutoCloseable {

	private final TestWebSocketServer server;

	private final long total;

	private final int batch;

	private final long pauseMicros;

	/** The range the next stream to reach it jumps over: {first, last}, or null. */
	private final AtomicReference<long[]> skip = new AtomicReference<>();

	private SequencedStreamServer(TestWebSocketServer server, long total, int batch, long pauseMicros) {
		this.server = server;
		this.total = total;
		this.batch = batch;
		this.pauseMicros = pauseMicros;
		server.onOpen(this::opened);
		server.onText((connection, text) -> {
			if (text.startsWith("resume ")) {
				stream(connection.channel(), Long.parseLong(text.substring(7).trim()) + 1);
			}
		});
	}

	/** Streams as fast as the client reads. */
	public static SequencedStreamServer start(long total) {
		return new SequencedStreamServer(TestWebSocketServer.start(), total, 256, 0);
	}

	/**
	 * Streams {@code batch} messages, then pauses {@code pauseMicros}, so a stream lasts
	 * a predictable time.
	 */
	public static SequencedStreamServer start(long total, int batch, long pauseMicros) {
		return new SequencedStreamServer(TestWebSocketServer.start(), total, batch, pauseMicros);
	}

	public TestWebSocketServer server() {
		return server;
	}

	public URI uri(String path) {
		return server.uri(path);
	}

	public long total() {
		return total;
	}

	/**
	 * The next stream that reaches {@code firstSkipped} jumps over
	 * {@code firstSkipped..lastSkipped} (inclusive), once: a client that resumes from
	 * before the range afterwards receives it, as from a server that lost those numbers
	 * on the way and replays on request.
	 */
	public SequencedStreamServer skipOnce(long firstSkipped, long lastSkipped) {
		if (firstSkipped < 1 || lastSkipped < firstSkipped) {
			throw new IllegalArgumentException("not a range: " + firstSkipped + ".." + lastSkipped);
		}
		skip.set(new long[] { firstSkipped, lastSkipped });
		return this;
	}

	@Override
	public void close() {
		server.close();
	}

	private void opened(ServerConnection connection) {
		Long from = resumeFrom(connection);
		if (from != null) {
			stream(connection.channel(), from + 1);
		}
		else if (!connection.requestUri().contains("wait-for-resume")) {
			stream(connection.channel(), 1);
		}
	}

	private static Long resumeFrom(ServerConnection connection) {
		List<String> parameter = new QueryStringDecoder(connection.requestUri()).parameters().get("resume-from");
		if (parameter != null && !parameter.isEmpty()) {
			return Long.parseLong(parameter.get(0));
		}
		List<String> header = connection.headers().get("Resume-From");
		return (header != null && !header.isEmpty()) ? Long.parseLong(header.get(0)) : null;
	}

	private void stream(Channel channel, long first) {
		channel.eventLoop().execute(new Runnable() {
			private long next = first;

			@Override
			public void run() {
				if (!channel.isActive()) {
					return;
				}
				int sent = 0;
				while (next <= total && sent < batch && channel.isWritable()) {
					next = skipFrom(next);
					if (next > total) {
						break;
					}
					channel.write(new TextWebSocketFrame(Long.toString(next++)));
					sent++;
				}
				channel.flush();
				if (next > total) {
					return;
				}
				long delay = channel.isWritable() ? pauseMicros : Math.max(pauseMicros, 200);
				if (delay == 0) {
					channel.eventLoop().execute(this);
				}
				else {
					channel.eventLoop().schedule(this, delay, TimeUnit.MICROSECONDS);
				}
			}
		});
	}

	/** Where a stream about to send {@code next} goes on from. */
	private long skipFrom(long next) {
		long[] range = skip.get();
		if (range != null && next == range[0] && skip.compareAndSet(range, null)) {
			return range[1] + 1;
		}
		return next;
	}

}

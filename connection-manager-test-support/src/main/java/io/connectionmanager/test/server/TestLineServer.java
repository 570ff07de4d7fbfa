package io.connectionmanager.test.server;

import io.connectionmanager.test.net.LoopbackServer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A minimal framed TCP server for testing plain-socket clients: newline-delimited or
 * 4-byte big-endian length-prefixed UTF-8 messages, echoed by default. Inherits
 * kill/restart/freeze from {@link LoopbackServer}. A frame longer than the maximum closes
 * the connection.
 */
public final class TestLineServer extends LoopbackServer {

	/** How messages are delimited on the wire. */
	public enum Framing {

		LINES, LENGTH_PREFIXED

	}

	private final Framing framing;

	private final int maxFrameLength;

	private final Set<LineConnection> connections = ConcurrentHashMap.newKeySet();

	private final LongAdder received = new LongAdder();

	private volatile BiConsumer<LineConnection, String> onLine;

	private final io.netty.handler.ssl.SslContext sslContext;

	private TestLineServer(Framing framing, int maxFrameLength, io.netty.handler.ssl.SslContext sslContext) {
		super("cm-test-line-server", 1);
		this.framing = framing;
		this.maxFrameLength = maxFrameLength;
		this.sslContext = sslContext;
	}

	/** Newline framing, lines up to 8 KiB. */
	public static TestLineServer start() {
		return start(Framing.LINES, 8192);
	}

	public static TestLineServer start(Framing framing, int maxFrameLength) {
		return start(framing, maxFrameLength, null);
	}

	/** Serves TLS with the given context (e.g. {@code TestTls.serverContext(true)}). */
	public static TestLineServer start(Framing framing, int maxFrameLength,
			io.netty.handler.ssl.SslContext sslContext) {
		return started(new TestLineServer(framing, maxFrameLength, sslContext));
	}

	/** Replaces echo; {@code null} restores it. Runs on the event loop. */
	public void onLine(BiConsumer<LineConnection, String> handler) {
		this.onLine = handler;
	}

	public List<LineConnection> connections() {
		return connections.stream().filter(LineConnection::isOpen).toList();
	}

	public long linesReceived() {
		return received.sum();
	}

	@Override
	protected void initConnection(SocketChannel channel) {
		if (sslContext != null) {
			channel.pipeline().addLast(sslContext.newHandler(channel.alloc()));
		}
		if (framing == Framing.LINES) {
			channel.pipeline().addLast(new LineBasedFrameDecoder(maxFrameLength));
		}
		else {
			channel.pipeline()
				.addLast(new LengthFieldBasedFrameDecoder(maxFrameLength + 4, 0, 4, 0, 4), new LengthFieldPrepender(4));
		}
		LineConnection connection = new LineConnection(channel, framing);
		connections.add(connection);
		channel.closeFuture().addListener(f -> connections.remove(connection));
		channel.pipeline()
			.addLast(new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8),
					new SimpleChannelInboundHandler<String>() {
						@Override
						protected void channelRead0(ChannelHandlerContext ctx, String line) {
							received.increment();
							BiConsumer<LineConnection, String> handler = onLine;
							if (handler == null) {
								connection.send(line);
							}
							else {
								handler.accept(connection, line);
							}
						}

						@Override
						public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
							ctx.close();
						}
					});
	}

}

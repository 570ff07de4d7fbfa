package io.connectionmanager.core.internal.transport.tcp;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.connectionmanager.core.internal.transport.netty.ChannelConnector;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolver;

/**
 * Raw TCP ({@code tcp://}) and TLS ({@code tls://}) on Netty, framed as lines or 4-byte
 * big-endian length-prefixed messages. Frame decoders fail fast: an oversized frame or a
 * malformed length closes the connection with a classified failure before anything is
 * buffered. TCP has no ping frame, so heartbeats need an application-level ping
 * ({@code ConnectionHandler#applicationHeartbeat}); without one, silence alone detects a
 * dead peer.
 */
public final class NettyTcpTransport implements Transport {

	private final ConnectionSettings settings;

	private final ChannelConnector connector;

	/**
	 * @param settings the connection's settings
	 * @param group the event loop (group) to register channels on
	 * @param resolver the runtime's non-blocking name resolver
	 * ({@code ConnectionRuntime#addressResolver()})
	 */
	public NettyTcpTransport(ConnectionSettings settings, EventLoopGroup group,
			AddressResolver<InetSocketAddress> resolver) {
		this(settings, group, resolver, null);
	}

	/**
	 * @param settings the connection's settings
	 * @param group the event loop (group) to register channels on
	 * @param resolver the runtime's non-blocking name resolver
	 * @param sslContexts the TLS context of each {@code tls://} attempt, or {@code null}
	 * for one built from {@code tls.*}
	 */
	public NettyTcpTransport(ConnectionSettings settings, EventLoopGroup group,
			AddressResolver<InetSocketAddress> resolver, Supplier<SslContext> sslContexts) {
		this.settings = settings;
		this.connector = new ChannelConnector(settings, group, resolver, sslContexts);
	}

	@Override
	public CompletableFuture<TransportSession> open(ConnectRequest request, TransportListener listener) {
		Framing framing = this.settings.framing();
		int maxFrame = this.settings.inbound().maxMessageSize();
		return this.connector.connect(request, request.uri().getPort(), (pipeline, tls, ready, attempt) -> {
			if (framing == Framing.LINES) {
				pipeline.addLast("framing", new LineBasedFrameDecoder(maxFrame, true, true));
			}
			else {
				pipeline.addLast("framing", new LengthFieldBasedFrameDecoder(maxFrame, 0, 4, 0, 4, true));
				pipeline.addLast("length", new LengthFieldPrepender(4));
			}
			pipeline.addLast("messages", new TcpClientHandler(framing, listener, attempt, ready));
		});
	}

}

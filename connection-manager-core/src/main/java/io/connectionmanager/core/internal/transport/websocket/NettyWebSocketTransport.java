package io.connectionmanager.core.internal.transport.websocket;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.connectionmanager.core.internal.transport.netty.ChannelConnector;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.DefaultAddressResolverGroup;

/**
 * WebSocket ({@code ws://}, {@code wss://}) on Netty. One channel per attempt, on the
 * connection's own event loop; after the upgrade the pipeline holds only the frame codec,
 * an aggregator bounded by {@code inbound.max-message-size}, and
 * {@link WebSocketClientHandler} - a few KiB per idle connection. With
 * {@code compression} the handshake offers permessage-deflate (Netty's client compression
 * extension, inflating at most {@code inbound.max-message-size} per message); a server
 * that declines it is used uncompressed.
 */
public final class NettyWebSocketTransport implements Transport {

	/** Upgrade responses are small; a larger one is hostile. */
	private static final int MAX_UPGRADE_RESPONSE_BYTES = 64 * 1024;

	private final ConnectionSettings settings;

	private final ChannelConnector connector;

	/**
	 * @param settings the connection's settings
	 * @param group the event loop (group) to register channels on
	 * @param resolver the runtime's non-blocking name resolver
	 * ({@code ConnectionRuntime#addressResolver()})
	 */
	public NettyWebSocketTransport(ConnectionSettings settings, EventLoopGroup group,
			AddressResolver<InetSocketAddress> resolver) {
		this(settings, group, resolver, null);
	}

	/**
	 * @param settings the connection's settings
	 * @param group the event loop (group) to register channels on
	 * @param resolver the runtime's non-blocking name resolver
	 * @param sslContexts the TLS context of each {@code wss://} attempt, or {@code null}
	 * for one built from {@code tls.*}
	 */
	public NettyWebSocketTransport(ConnectionSettings settings, EventLoopGroup group,
			AddressResolver<InetSocketAddress> resolver, Supplier<SslContext> sslContexts) {
		this.settings = settings;
		this.connector = new ChannelConnector(settings, group, resolver, sslContexts);
	}

	/**
	 * With Netty's default resolver, which blocks the event loop on a DNS lookup.
	 * @deprecated for IP literals only (benchmarks); use the constructor that takes the
	 * runtime's resolver
	 */
	@Deprecated(forRemoval = true)
	public NettyWebSocketTransport(ConnectionSettings settings, EventLoopGroup group) {
		this(settings, group, DefaultAddressResolverGroup.INSTANCE.getResolver(group.next()));
	}

	@Override
	public CompletableFuture<TransportSession> open(ConnectRequest request, TransportListener listener) {
		HttpHeaders headers = new DefaultHttpHeaders();
		request.headers().forEach(headers::add);
		String subprotocols = this.settings.subprotocols().isEmpty() ? null
				: String.join(",", this.settings.subprotocols());
		int maxMessageSize = this.settings.inbound().maxMessageSize();
		WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(request.uri(),
				WebSocketVersion.V13, subprotocols, true, headers, maxMessageSize);
		return this.connector.connect(request, ChannelConnector.isSecure(request) ? 443 : 80,
				(pipeline, tls, ready, attempt) -> {
					pipeline.addLast("http", new HttpClientCodec());
					pipeline.addLast("upgrade-response", new HttpObjectAggregator(MAX_UPGRADE_RESPONSE_BYTES));
					if (this.settings.compression()) {
						// offers the extension, and on acceptance puts the deflate codec
						// in place
						pipeline.addLast("compression", new WebSocketClientCompressionHandler(maxMessageSize));
					}
					pipeline.addLast("websocket",
							new WebSocketClientHandler(handshaker, listener, attempt, maxMessageSize));
				});
	}

}

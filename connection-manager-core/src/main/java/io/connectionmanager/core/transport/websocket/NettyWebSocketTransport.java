package io.connectionmanager.core.transport.websocket;

import java.net.URI;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.connectionmanager.core.transport.netty.TlsContexts;
import io.netty.handler.ssl.SslContext;

/**
 * WebSocket ({@code ws://}, {@code wss://}) on Netty. One channel per attempt, on the connection's own event loop;
 * after the upgrade the pipeline holds only the frame codec, an aggregator bounded by
 * {@code inbound.max-message-size}, and {@link WebSocketClientHandler} - a few KiB per idle connection.
 */
public final class NettyWebSocketTransport implements Transport {

	/** Upgrade responses are small; a larger one is hostile. */
	private static final int MAX_UPGRADE_RESPONSE_BYTES = 64 * 1024;

	private final ConnectionSettings settings;

	private final EventLoopGroup group;

	private final SslContext sslContext;

	public NettyWebSocketTransport(ConnectionSettings settings, EventLoopGroup group) {
		this.settings = settings;
		this.group = group;
		this.sslContext = settings.isSecure() ? TlsContexts.clientContext(settings.tls()) : null;
	}

	@Override
	public CompletableFuture<TransportSession> open(ConnectRequest request, TransportListener listener) {
		URI uri = request.uri();
		String host = uri.getHost();
		int port = (uri.getPort() != -1) ? uri.getPort() : (this.sslContext != null) ? 443 : 80;
		HttpHeaders headers = new DefaultHttpHeaders();
		request.headers().forEach(headers::add);
		String subprotocols = this.settings.subprotocols().isEmpty() ? null
				: String.join(",", this.settings.subprotocols());
		WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri,
				WebSocketVersion.V13, subprotocols, true, headers, this.settings.inbound().maxMessageSize());
		CompletableFuture<TransportSession> opened = new CompletableFuture<>();
		Bootstrap bootstrap = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, request.connectTimeout().toMillis()))
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					ChannelPipeline pipeline = channel.pipeline();
					if (NettyWebSocketTransport.this.sslContext != null) {
						pipeline.addLast("tls", TlsContexts.newHandler(NettyWebSocketTransport.this.sslContext,
								NettyWebSocketTransport.this.settings.tls(), channel.alloc(), host, port));
					}
					pipeline.addLast("http", new HttpClientCodec());
					pipeline.addLast("upgrade-response", new HttpObjectAggregator(MAX_UPGRADE_RESPONSE_BYTES));
					pipeline.addLast("websocket", new WebSocketClientHandler(handshaker, listener, opened,
							NettyWebSocketTransport.this.settings.inbound().maxMessageSize()));
				}
			});
		ChannelFuture connecting = bootstrap.connect(host, port);
		connecting.addListener((future) -> {
			if (!future.isSuccess()) {
				opened.completeExceptionally(future.cause());
			}
		});
		opened.whenComplete((session, error) -> {
			if (error instanceof CancellationException) {
				connecting.channel().close();
			}
		});
		return opened;
	}

}

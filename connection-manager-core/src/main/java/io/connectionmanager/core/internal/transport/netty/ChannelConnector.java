package io.connectionmanager.core.internal.transport.netty;

import java.net.ConnectException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.TlsSettings;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.TransportSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * Opens one channel for a transport attempt: TCP with the request's connect timeout, TLS
 * when a context is given, then the protocol's own handlers. Cancelling {@code opened}
 * (engine timeout, disconnect) closes the channel.
 */
public final class ChannelConnector {

	private ChannelConnector() {
	}

	/**
	 * When reading pauses at the inbound bound, what was already read is still decoded
	 * and queued: at most one read. Reads are therefore capped at a quarter of the byte
	 * bound (between 1 KiB and Netty's usual 64 KiB), so that the overshoot stays
	 * proportionate for small bounds and unchanged for the default 8 MiB.
	 */
	static AdaptiveRecvByteBufAllocator readSizes(InboundSettings inbound) {
		int maximum = (int) Math.max(1024, Math.min(64 * 1024, inbound.maxQueuedBytes() / 4));
		return new AdaptiveRecvByteBufAllocator(64, Math.min(2048, maximum), maximum);
	}

	private static boolean isSelfConnect(Channel channel) {
		return channel.localAddress() != null && channel.localAddress().equals(channel.remoteAddress());
	}

	/**
	 * @param group the event loop (group) to register on; the connection's own loop for
	 * the built-in transports
	 * @param request where to connect
	 * @param defaultPort the port when the URL has none
	 * @param sslContext a client TLS context, or {@code null} for plain TCP
	 * @param tls TLS settings (SNI, host-name verification)
	 * @param inbound the inbound bounds, which size the reads
	 * @param opened completed by the protocol handlers once the session is usable
	 * @param protocol adds the protocol's handlers after TLS; receives the TLS handler or
	 * {@code null}
	 */
	public static void connect(EventLoopGroup group, ConnectRequest request, int defaultPort, SslContext sslContext,
			TlsSettings tls, InboundSettings inbound, CompletableFuture<TransportSession> opened,
			BiConsumer<ChannelPipeline, SslHandler> protocol) {
		String host = request.uri().getHost();
		int port = (request.uri().getPort() != -1) ? request.uri().getPort() : defaultPort;
		Bootstrap bootstrap = new Bootstrap().group(group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, request.connectTimeout().toMillis()))
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.RCVBUF_ALLOCATOR, readSizes(inbound))
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					SslHandler tlsHandler = null;
					if (sslContext != null) {
						tlsHandler = TlsContexts.newHandler(sslContext, tls, channel.alloc(), host, port);
						channel.pipeline().addLast("tls", tlsHandler);
					}
					protocol.accept(channel.pipeline(), tlsHandler);
				}
			});
		ChannelFuture connecting = bootstrap.connect(host, port);
		connecting.addListener((future) -> {
			if (!future.isSuccess()) {
				opened.completeExceptionally(future.cause());
			}
			else if (isSelfConnect(connecting.channel())) {
				// Dialling a local port nobody listens on can "succeed" by connecting to
				// ourselves (Linux TCP
				// simultaneous open when the ephemeral port equals the target). Treat it
				// as the refusal it is, and
				// free the port at once so the real server can bind it.
				connecting.channel().close();
				opened.completeExceptionally(new ConnectException(
						"Connection refused (self-connect to " + connecting.channel().localAddress() + ")"));
			}
		});
		opened.whenComplete((session, error) -> {
			if (error instanceof CancellationException) {
				connecting.channel().close();
			}
		});
	}

}

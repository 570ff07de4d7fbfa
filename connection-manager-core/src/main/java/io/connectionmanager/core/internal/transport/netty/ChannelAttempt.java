package io.connectionmanager.core.internal.transport.netty;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.TransportSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;

/**
 * One channel: to {@code address} directly, or to its unresolved name through the proxy
 * at {@code proxyAddress}.
 */
final class ChannelAttempt {

	private final ChannelConnector connector;

	private final InetSocketAddress address;

	private final InetSocketAddress proxyAddress;

	private final String host;

	private final int port;

	private final CompletableFuture<TransportSession> protocolResult = new CompletableFuture<>();

	private ProxyHandler proxyHandler;

	ChannelAttempt(ChannelConnector connector, InetSocketAddress address, InetSocketAddress proxyAddress, String host,
			int port) {
		this.connector = connector;
		this.address = address;
		this.proxyAddress = proxyAddress;
		this.host = host;
		this.port = port;
	}

	void start(EventLoop loop, ConnectRequest request, CompletableFuture<TransportSession> opened,
			ChannelConnector.Protocol protocol, Runnable orNextAddress) {
		SslContext sslContext;
		try {
			// once per attempt, so that a renewed certificate applies to the next one
			sslContext = ChannelConnector.isSecure(request) ? this.connector.sslContext() : null;
		}
		catch (RuntimeException ex) {
			opened.completeExceptionally(ex);
			return;
		}
		long connectTimeoutMillis = Math.min(Integer.MAX_VALUE, request.connectTimeout().toMillis());
		Bootstrap bootstrap = new Bootstrap().group(loop)
			.channel(NioSocketChannel.class)
			// the address is resolved already; never fall back to the blocking
			// resolver
			.resolver(NoopAddressResolverGroup.INSTANCE)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeoutMillis)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.RCVBUF_ALLOCATOR, ChannelConnector.readSizes(this.connector.settings().inbound()))
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK,
					ChannelConnector.writeLimits(this.connector.settings().outbound()))
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					initPipeline(channel.pipeline(), sslContext, connectTimeoutMillis, protocol);
				}
			});
		ChannelFuture connecting = bootstrap.connect(this.address);
		connecting.addListener((future) -> {
			if (!future.isSuccess() && orNextAddress != null && !opened.isDone()
					&& future.cause() instanceof ConnectException) {
				orNextAddress.run();
			}
			else if (!future.isSuccess()) {
				this.protocolResult.completeExceptionally(future.cause());
			}
			else if (ChannelConnector.isSelfConnect(connecting.channel())) {
				// Dialling a local port nobody listens on can "succeed" by connecting
				// to ourselves (Linux TCP simultaneous open when the ephemeral port
				// equals the target). Treat it as the refusal it is, and free the
				// port at once so the real server can bind it.
				connecting.channel().close();
				this.protocolResult.completeExceptionally(new ConnectException(
						"Connection refused (self-connect to " + connecting.channel().localAddress() + ")"));
			}
		});
		this.protocolResult.whenComplete((session, error) -> {
			if (error == null) {
				if (!opened.complete(session)) {
					session.abort(); // cancelled just now
				}
			}
			else {
				opened.completeExceptionally(failureOf(error));
			}
		});
		opened.whenComplete((session, error) -> {
			if (error instanceof CancellationException) {
				this.protocolResult.cancel(false);
				connecting.channel().close();
			}
		});
	}

	private void initPipeline(ChannelPipeline pipeline, SslContext sslContext, long connectTimeoutMillis,
			ChannelConnector.Protocol protocol) {
		Future<?> ready = null;
		if (this.proxyAddress != null) {
			this.proxyHandler = this.connector.tunnel().newHandler(this.proxyAddress, connectTimeoutMillis);
			pipeline.addLast("proxy", this.proxyHandler);
			ready = this.proxyHandler.connectFuture();
		}
		SslHandler tlsHandler = null;
		if (sslContext != null) {
			tlsHandler = TlsContexts.newHandler(sslContext, this.connector.settings().tls(), pipeline.channel().alloc(),
					this.host, this.port);
			pipeline.addLast("tls", tlsHandler);
			// a certificate alert may also come after the session opened (TLS 1.3)
			pipeline.addLast("tls-failures", TlsContexts.failureTranslator());
			ready = tlsHandler.handshakeFuture();
		}
		protocol.addHandlers(pipeline, tlsHandler, ready, this.protocolResult);
	}

	/**
	 * A failed tunnel closes the channel, and whatever reports first (a pending write,
	 * TLS, the close) carries a less telling error than the proxy's own.
	 */
	private Throwable failureOf(Throwable error) {
		Throwable cause = error;
		if (this.proxyHandler != null) {
			Future<?> tunnel = this.proxyHandler.connectFuture();
			if (tunnel.isDone() && !tunnel.isSuccess()) {
				cause = tunnel.cause();
			}
			// pending writes fail with the proxy's error before the tunnel future
			// does
			cause = this.connector.tunnel().translate(cause, this.host + ":" + this.port);
		}
		return TlsContexts.translate(cause);
	}

}

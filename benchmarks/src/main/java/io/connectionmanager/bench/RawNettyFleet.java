package io.connectionmanager.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The scale scenario's baseline: WebSocket clients written directly against Netty, as a
 * careful hand-written client would be: HTTP codec and aggregator for the upgrade,
 * Netty's {@link WebSocketClientProtocolHandler}, an {@link IdleStateHandler} that pings
 * after the same idle interval as the managed heartbeat, and a handler that counts
 * echoes. No reconnect, no state machine, no breaker, no metrics: what the library adds
 * per connection is measured against this.
 */
final class RawNettyFleet implements AutoCloseable {

	private final EventLoopGroup group;

	private final Duration pingInterval;

	private final Semaphore inFlight;

	private final List<Channel> channels = new ArrayList<>();

	private final AtomicInteger connected = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicInteger echoes = new AtomicInteger();

	RawNettyFleet(EventLoopGroup group, Duration pingInterval, int maxInFlight) {
		this.group = group;
		this.pingInterval = pingInterval;
		this.inFlight = new Semaphore(maxInFlight);
	}

	/** Opens one client, waiting first for a free in-flight slot. */
	void connect(URI uri) throws InterruptedException {
		this.inFlight.acquire();
		ChannelFuture future = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
								new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
									.webSocketUri(uri)
									.handshakeTimeoutMillis(10_000)
									.build()),
								new IdleStateHandler(0, 0, RawNettyFleet.this.pingInterval.toMillis(),
										TimeUnit.MILLISECONDS),
								new Client());
				}
			})
			.connect(uri.getHost(), uri.getPort());
		synchronized (this.channels) {
			this.channels.add(future.channel());
		}
		future.addListener((done) -> {
			if (!done.isSuccess()) {
				this.failed.incrementAndGet();
				this.inFlight.release();
			}
		});
	}

	int connected() {
		return this.connected.get();
	}

	int failed() {
		return this.failed.get();
	}

	int echoes() {
		return this.echoes.get();
	}

	long open() {
		synchronized (this.channels) {
			return this.channels.stream().filter(Channel::isActive).count();
		}
	}

	/** Closes every client and waits for the sockets to be closed. */
	@Override
	public void close() {
		List<Channel> all;
		synchronized (this.channels) {
			all = new ArrayList<>(this.channels);
			this.channels.clear();
		}
		all.forEach(Channel::close);
		all.forEach((channel) -> channel.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS));
	}

	private final class Client extends SimpleChannelInboundHandler<WebSocketFrame> {

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				RawNettyFleet.this.connected.incrementAndGet();
				RawNettyFleet.this.inFlight.release();
				ctx.writeAndFlush(new TextWebSocketFrame("hello"));
			}
			else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
				RawNettyFleet.this.failed.incrementAndGet();
				RawNettyFleet.this.inFlight.release();
			}
			else if (event instanceof IdleStateEvent) {
				ctx.writeAndFlush(new PingWebSocketFrame());
			}
			super.userEventTriggered(ctx, event);
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
			if (frame instanceof TextWebSocketFrame) {
				RawNettyFleet.this.echoes.incrementAndGet();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}

package io.connectionmanager.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The loopback WebSocket server of the scale scenario, run as a separate JVM so that its
 * sockets, threads and heap do not count against the client being measured. Echoes text;
 * Netty's protocol handler answers pings. Listens on one port on each of the given
 * loopback addresses (more source/destination pairs, so ephemeral ports never run short),
 * prints {@code LISTENING <port> <addr,...>}, answers {@code STATS} on stdin with the
 * open connection count, and exits when stdin closes (so it never outlives the
 * benchmark).
 * <p>
 * Usage: {@code ScaleServerMain <addresses>} with {@code addresses} like
 * {@code 127.0.0.1,127.0.0.2}.
 */
public final class ScaleServerMain {

	private ScaleServerMain() {
	}

	public static void main(String[] args) throws Exception {
		String[] addresses = ((args.length > 0) ? args[0] : "127.0.0.1").split(",");
		AtomicInteger open = new AtomicInteger();
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
		ServerBootstrap bootstrap = new ServerBootstrap().group(group)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 4096)
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					open.incrementAndGet();
					channel.closeFuture().addListener((future) -> open.decrementAndGet());
					channel.pipeline()
						.addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
								new WebSocketServerProtocolHandler("/scale", null, false, 64 * 1024), new Echo());
				}
			});
		Channel first = bootstrap.bind(InetAddress.getByName(addresses[0]), 0).sync().channel();
		int port = ((InetSocketAddress) first.localAddress()).getPort();
		List<String> bound = new ArrayList<>(List.of(addresses[0]));
		for (int i = 1; i < addresses.length; i++) {
			try {
				bootstrap.bind(InetAddress.getByName(addresses[i]), port).sync();
				bound.add(addresses[i]);
			}
			catch (Exception ex) {
				System.err.println("scale server: cannot listen on " + addresses[i] + ":" + port + ": " + ex);
			}
		}
		System.out.println("LISTENING " + port + " " + String.join(",", bound));
		System.out.flush();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			if (line.trim().equals("STATS")) {
				System.out.println("STATS " + open.get());
				System.out.flush();
			}
		}
		group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).await();
	}

	private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
			ctx.writeAndFlush(new TextWebSocketFrame(frame.text()));
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}

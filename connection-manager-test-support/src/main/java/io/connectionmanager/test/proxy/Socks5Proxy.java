package io.connectionmanager.test.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5Message;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;

/**
 * A real SOCKS5 proxy (RFC 1928) on 127.0.0.1, built on Netty's SOCKS5 server codec: the
 * CONNECT command only, with no authentication or, when credentials are configured,
 * username/password authentication (RFC 1929) and nothing else. A client that offers no
 * acceptable method gets "no acceptable methods"; wrong credentials get a failure status;
 * an unreachable target gets "connection refused". After a successful CONNECT the
 * connection is a byte tunnel to the target.
 */
public final class Socks5Proxy extends TunnelingProxy {

	private Socks5Proxy(String username, String password) {
		super("cm-test-socks-proxy", "socks5", username, password);
	}

	/** A proxy that asks for no credentials. */
	public static Socks5Proxy start() {
		return start(null, null);
	}

	/** A proxy that requires username/password authentication with these. */
	public static Socks5Proxy start(String username, String password) {
		return started(new Socks5Proxy(username, password));
	}

	@Override
	protected void initConnection(SocketChannel channel) {
		channel.pipeline()
			.addLast("socks-encoder", Socks5ServerEncoder.DEFAULT)
			.addLast("socks-decoder", new Socks5InitialRequestDecoder())
			.addLast("socks", new Handshake());
	}

	private final class Handshake extends SimpleChannelInboundHandler<Socks5Message> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, Socks5Message message) {
			if (!message.decoderResult().isSuccess()) {
				ctx.close();
			}
			else if (message instanceof Socks5InitialRequest initial) {
				chooseMethod(ctx, initial);
			}
			else if (message instanceof Socks5PasswordAuthRequest auth) {
				if (acceptsCredentials(auth.username(), auth.password())) {
					ctx.pipeline().replace("socks-decoder", "socks-decoder", new Socks5CommandRequestDecoder());
					ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
				}
				else {
					ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE))
						.addListener(ChannelFutureListener.CLOSE);
				}
			}
			else if (message instanceof Socks5CommandRequest command) {
				connect(ctx, command);
			}
			else {
				ctx.close();
			}
		}

		private void chooseMethod(ChannelHandlerContext ctx, Socks5InitialRequest initial) {
			if (!requiresCredentials()) {
				ctx.pipeline().replace("socks-decoder", "socks-decoder", new Socks5CommandRequestDecoder());
				ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
			}
			else if (initial.authMethods().contains(Socks5AuthMethod.PASSWORD)) {
				ctx.pipeline().replace("socks-decoder", "socks-decoder", new Socks5PasswordAuthRequestDecoder());
				ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
			}
			else {
				missingCredentials();
				ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
					.addListener(ChannelFutureListener.CLOSE);
			}
		}

		private void connect(ChannelHandlerContext ctx, Socks5CommandRequest command) {
			if (command.type() != Socks5CommandType.CONNECT) {
				ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.COMMAND_UNSUPPORTED,
						Socks5AddressType.IPv4))
					.addListener(ChannelFutureListener.CLOSE);
				return;
			}
			openTunnel(ctx.channel(), command.dstAddr(), command.dstPort(), () -> {
				ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, Socks5AddressType.IPv4,
						"127.0.0.1", port()));
				ctx.pipeline().remove("socks-decoder");
				ctx.pipeline().remove("socks-encoder");
				ctx.pipeline().remove(this);
			}, (error) -> ctx
				.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.CONNECTION_REFUSED,
						Socks5AddressType.IPv4))
				.addListener(ChannelFutureListener.CLOSE));
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}

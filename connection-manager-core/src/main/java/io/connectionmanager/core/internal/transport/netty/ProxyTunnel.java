package io.connectionmanager.core.internal.transport.netty;

import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.connectionmanager.core.config.ProxySettings;
import io.connectionmanager.core.failure.ProxyRejectedException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.HttpProxyHandler.HttpProxyConnectException;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;

/**
 * The tunnel through a proxy: Netty's {@link HttpProxyHandler} (HTTP CONNECT, Basic
 * credentials) or {@link Socks5ProxyHandler}, first in the pipeline so that TLS and the
 * protocol run inside the tunnel; and the translation of Netty's
 * {@link ProxyConnectException} into what the failure classifier understands: a refusal
 * by the proxy ({@link ProxyRejectedException}, fatal for credentials), a timeout, or a
 * lost connection. Messages name the proxy, never its credentials.
 */
final class ProxyTunnel {

	/** Netty writes the CONNECT answer as "status: 407 Proxy Authentication Required". */
	private static final Pattern HTTP_STATUS = Pattern.compile("status: (\\d{3})");

	private final ProxySettings proxy;

	ProxyTunnel(ProxySettings proxy) {
		this.proxy = proxy;
	}

	/** Netty's handler for one attempt, through {@code proxyAddress} (resolved). */
	ProxyHandler newHandler(InetSocketAddress proxyAddress, long connectTimeoutMillis) {
		ProxyHandler handler;
		if (this.proxy.type() == ProxySettings.Type.HTTP) {
			handler = this.proxy.hasCredentials()
					? new HttpProxyHandler(proxyAddress, this.proxy.username(), this.proxy.password())
					: new HttpProxyHandler(proxyAddress);
		}
		else {
			handler = this.proxy.hasCredentials()
					? new Socks5ProxyHandler(proxyAddress, this.proxy.username(), this.proxy.password())
					: new Socks5ProxyHandler(proxyAddress);
		}
		handler.setConnectTimeoutMillis(connectTimeoutMillis);
		return handler;
	}

	/**
	 * Netty's {@link ProxyConnectException} as the failure it stands for.
	 * @param cause how the tunnel failed
	 * @param target the server's {@code host:port}
	 */
	Throwable translate(Throwable cause, String target) {
		if (!(cause instanceof ProxyConnectException)) {
			return cause;
		}
		String message = (cause.getMessage() != null) ? cause.getMessage() : "";
		String name = (this.proxy.type() == ProxySettings.Type.HTTP) ? "HTTP proxy " : "SOCKS5 proxy ";
		String where = name + this.proxy.url().getHost() + ":" + this.proxy.url().getPort();
		if (cause.getCause() != null) {
			// an I/O error on the way to the proxy (reset, TLS, ...): the real cause
			return cause.getCause();
		}
		if (message.endsWith(", timeout")) {
			return new ConnectTimeoutException(where + " did not open the tunnel to " + target + " in time");
		}
		if (message.endsWith(", disconnected")) {
			ClosedChannelException closed = new ClosedChannelException();
			closed.initCause(new IllegalStateException(where + " closed the connection before the tunnel opened"));
			return closed;
		}
		if (cause instanceof HttpProxyConnectException) {
			Matcher status = HTTP_STATUS.matcher(message);
			Integer code = status.find() ? Integer.valueOf(status.group(1)) : null;
			String answer = message.substring(message.lastIndexOf("status: ") + "status: ".length());
			if (code != null && code == 407) {
				return credentials(
						where + " " + (this.proxy.hasCredentials() ? "refused the credentials" : "requires credentials")
								+ " (" + answer + ")",
						407);
			}
			return new ProxyRejectedException(
					where + " refused CONNECT to " + target + " (" + ((code != null) ? answer : message) + ")", code,
					false);
		}
		if (message.contains("authStatus: ") || message.contains("unexpected authMethod: ")) {
			return credentials(where + " " + (this.proxy.hasCredentials() ? "refused the credentials"
					: "requires credentials (username/password authentication)"), null);
		}
		return new ProxyRejectedException(where + " refused the connection to " + target + " ("
				+ message.substring(message.lastIndexOf(", ") + 2) + ")", null, false);
	}

	private ProxyRejectedException credentials(String message, Integer status) {
		String advice = this.proxy.hasCredentials() ? ": check proxy.username and proxy.password"
				: ": set proxy.username and proxy.password";
		return new ProxyRejectedException(message + advice, status, true);
	}

}

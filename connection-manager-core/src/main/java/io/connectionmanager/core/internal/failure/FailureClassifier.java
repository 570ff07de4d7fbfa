package io.connectionmanager.core.internal.failure;

import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.failure.FailurePolicy;
import io.connectionmanager.core.failure.ProxyRejectedException;
import io.connectionmanager.core.failure.UpgradeRejectedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.Objects;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.resolver.dns.DnsNameResolverException;

/**
 * Turns exceptions, close codes and handler verdicts into {@link Failure}s, deciding
 * fatal vs retryable with a {@link FailurePolicy}.
 */
public final class FailureClassifier {

	private final FailurePolicy policy;

	private final Clock clock;

	public FailureClassifier(FailurePolicy policy, Clock clock) {
		this.policy = Objects.requireNonNull(policy, "policy");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	public Failure classify(Throwable error) {
		Throwable cause = unwrap(error);
		FailureKind kind = kindOf(cause);
		Integer status = (cause instanceof UpgradeRejectedException rejected) ? rejected.status()
				: (cause instanceof ProxyRejectedException proxy) ? proxy.httpStatus() : null;
		return create(kind, describe(cause), status, null, cause);
	}

	public Failure closedByPeer(int closeCode, String reason) {
		String message = "peer closed the connection" + ((reason != null && !reason.isEmpty()) ? ": " + reason : "");
		if (closeCode == 1006) {
			return create(FailureKind.CONNECTION_LOST, "connection lost without a close frame", null, null, null);
		}
		return create(FailureKind.CLOSED_BY_PEER, message, null, closeCode, null);
	}

	public Failure of(FailureKind kind, String message) {
		return create(kind, message, null, null, null);
	}

	private Failure create(FailureKind kind, String message, Integer status, Integer closeCode, Throwable cause) {
		boolean fatal = this.policy.isFatal(kind, status, closeCode);
		return new Failure(kind, message, fatal, status, closeCode, this.clock.instant(), cause);
	}

	private static FailureKind kindOf(Throwable cause) {
		if (cause instanceof UpgradeRejectedException) {
			return FailureKind.UPGRADE_REJECTED;
		}
		if (cause instanceof ProxyRejectedException proxy) {
			return proxy.credentialsRejected() ? FailureKind.AUTH_REJECTED : FailureKind.PROXY_REJECTED;
		}
		if (isNameResolutionFailure(cause)) {
			return FailureKind.DNS;
		}
		if (cause instanceof ConnectTimeoutException || cause instanceof SocketTimeoutException
				|| cause instanceof java.util.concurrent.TimeoutException) {
			return FailureKind.CONNECT_TIMEOUT;
		}
		if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
			return FailureKind.CONNECTION_REFUSED;
		}
		if (cause instanceof SSLException) {
			return isCertificateProblem(cause) ? FailureKind.CERTIFICATE : FailureKind.TLS_HANDSHAKE;
		}
		if (cause instanceof CorruptedWebSocketFrameException frame
				&& frame.closeStatus() == WebSocketCloseStatus.MESSAGE_TOO_BIG) {
			return FailureKind.MESSAGE_TOO_LARGE;
		}
		if (cause instanceof TooLongFrameException) {
			return FailureKind.MESSAGE_TOO_LARGE;
		}
		if (cause instanceof CorruptedFrameException || cause instanceof WebSocketHandshakeException) {
			return FailureKind.PROTOCOL_ERROR;
		}
		if (cause instanceof ClosedChannelException || cause instanceof IOException) {
			return FailureKind.CONNECTION_LOST;
		}
		return FailureKind.OTHER;
	}

	/**
	 * Before the timeout checks: Netty reports a lookup that timed out as an
	 * {@link UnknownHostException} (caused by Netty's
	 * {@code DnsNameResolverTimeoutException}), which must stay DNS, not become a connect
	 * timeout.
	 */
	private static boolean isNameResolutionFailure(Throwable cause) {
		return cause instanceof UnknownHostException || cause instanceof DnsNameResolverException;
	}

	/** Certificate failures hide in the cause chain of an SSLHandshakeException. */
	private static boolean isCertificateProblem(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof CertificateException || t instanceof CertPathValidatorException
					|| t instanceof CertPathBuilderException) {
				return true;
			}
			if (t instanceof SSLHandshakeException && t.getMessage() != null
					&& t.getMessage().contains("certificate")) {
				return true;
			}
			if (t instanceof GeneralSecurityException && t.getMessage() != null
					&& t.getMessage().contains("No subject alternative")) {
				return true;
			}
		}
		return false;
	}

	private static Throwable unwrap(Throwable error) {
		Throwable current = error;
		while ((current instanceof java.util.concurrent.CompletionException
				|| current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private static String describe(Throwable cause) {
		String message = cause.getMessage();
		String type = cause.getClass().getSimpleName();
		return (message != null) ? type + ": " + message : type;
	}

}

package io.connectionmanager.sample.feed;

import java.time.Instant;
import java.util.List;

/**
 * What the simulated exchange is doing right now, for the dashboard and for tests.
 *
 * @param url where it listens
 * @param listening whether the listening socket is bound (false during a restart)
 * @param latestSequence the last tick's sequence number (0 before the first)
 * @param oldestReplayable the oldest sequence still in the replay buffer
 * @param connections open WebSocket connections
 * @param subscribed connections receiving ticks
 * @param frozen connections frozen by {@code freeze}
 * @param rejectingUpgrades whether upgrades are answered 503
 * @param rejectingUpgradesUntil when that ends by itself, or {@code null} (until
 * restored)
 * @param rejectingAuthentication whether auth requests are answered {@code auth-failed}
 * @param frozenUntil when frozen connections are released (reset), or {@code null}
 * @param restartingAt when a restarting feed binds again, or {@code null}
 * @param upgradesAccepted upgrades answered 101
 * @param upgradesRejected upgrades answered 401/404/503
 * @param recentCloses the latest closes seen from clients, newest first
 */
public record FeedStatus(String url, boolean listening, long latestSequence, long oldestReplayable, int connections,
		int subscribed, int frozen, boolean rejectingUpgrades, Instant rejectingUpgradesUntil,
		boolean rejectingAuthentication, Instant frozenUntil, Instant restartingAt, long upgradesAccepted,
		long upgradesRejected, List<ClientClose> recentCloses) {

	/**
	 * How a client connection ended, as the feed saw it.
	 *
	 * @param path the request path of the connection
	 * @param code the client's close code, or 1006 when the socket ended without a close
	 * frame
	 * @param reason the close reason sent by the client
	 * @param at when
	 */
	public record ClientClose(String path, int code, String reason, Instant at) {

	}

}

package io.connectionmanager.core.internal.engine;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.EndpointSelection;

/**
 * Which of a connection's {@code urls} the next attempt goes to. One round tries every
 * endpoint once (the transport tries every address of an endpoint's name in turn within
 * the attempt); while the round has an untried endpoint, a failed attempt moves on at
 * once, and only a failed round counts for the backoff and the circuit breaker, so a dead
 * primary does not open the breaker while the backup is healthy. {@code ordered} starts
 * every round at the primary; {@code random} shuffles the endpoints once per connection
 * and stays where it last connected. Confined to the event loop.
 */
final class Endpoints {

	private final List<URI> order;

	private final EndpointSelection selection;

	private int index;

	private int triedInRound;

	Endpoints(ConnectionSettings settings, Random random) {
		List<URI> order = new ArrayList<>(settings.urls());
		this.selection = settings.endpointSelection();
		if (this.selection == EndpointSelection.RANDOM) {
			Collections.shuffle(order, random);
		}
		this.order = List.copyOf(order);
	}

	URI current() {
		return this.order.get(this.index);
	}

	/** Where the current endpoint is, without path or query (they may carry tokens). */
	String currentLabel() {
		return label(current());
	}

	static String label(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
	}

	List<URI> all() {
		return this.order;
	}

	/**
	 * The attempt on the current endpoint failed: moves to the next one. Returns whether
	 * the round has more to try (at once); when it does not, a new round begins.
	 */
	boolean failedTryNext() {
		this.triedInRound++;
		if (this.triedInRound < this.order.size()) {
			this.index = (this.index + 1) % this.order.size();
			return true;
		}
		newRound();
		return false;
	}

	/** A CONNECTED session was lost: the next round begins. */
	void sessionLost() {
		newRound();
	}

	/** CONNECTED: the round is over. */
	void connected() {
		this.triedInRound = 0;
	}

	/** With {@code ordered}, on an endpoint other than the primary: time to go back. */
	boolean wantsFailback() {
		return this.selection == EndpointSelection.ORDERED && this.index != 0;
	}

	URI primary() {
		return this.order.get(0);
	}

	/** A rotation moved the session to {@code endpoint}. */
	void movedTo(URI endpoint) {
		this.index = Math.max(0, this.order.indexOf(endpoint));
		this.triedInRound = 0;
	}

	private void newRound() {
		this.triedInRound = 0;
		if (this.selection == EndpointSelection.ORDERED) {
			this.index = 0;
		}
	}

}

package io.connectionmanager.test.kit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What a scripted server received from its clients: all of it, and what is unclaimed. */
final class Inbox {

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final BlockingQueue<String> unclaimed = new LinkedBlockingQueue<>();

	void add(String message) {
		this.received.add(message);
		this.unclaimed.add(message);
	}

	String expect(Duration within) {
		try {
			String message = this.unclaimed.poll(within.toMillis(), TimeUnit.MILLISECONDS);
			if (message == null) {
				throw new AssertionError(
						"Expected a message from the client within " + within + "; received so far: " + this.received);
			}
			return message;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for a message", ex);
		}
	}

	List<String> all() {
		return List.copyOf(this.received);
	}

}

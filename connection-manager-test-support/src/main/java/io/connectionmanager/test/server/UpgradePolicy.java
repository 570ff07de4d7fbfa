package io.connectionmanager.test.server;

import io.netty.handler.codec.http.HttpHeaders;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server currently answers to an upgrade request; changed by the test at any
 * time from any thread, read by the event loop for each request.
 */
final class UpgradePolicy {

	/** Decision meaning: read the request and never answer. */
	static final int STALL = HandshakeRecord.NO_RESPONSE;
	static final int ACCEPT = 101;

	private final Map<String, String> requiredHeaders = new ConcurrentHashMap<>();

	private volatile int rejectStatus;

	private volatile Duration retryAfter;

	private volatile boolean stall;

	void reject(int status, Duration retryAfter) {
		if (status < 200 || status > 599) {
			throw new IllegalArgumentException("not an HTTP error status: " + status);
		}
		this.retryAfter = retryAfter;
		this.rejectStatus = status;
	}

	void accept() {
		rejectStatus = 0;
		retryAfter = null;
	}

	void stall(boolean stall) {
		this.stall = stall;
	}

	void requireHeader(String name, String value) {
		requiredHeaders.put(name, value);
	}

	void clearRequiredHeaders() {
		requiredHeaders.clear();
	}

	Duration retryAfter() {
		return retryAfter;
	}

	/** Returns {@link #STALL}, {@link #ACCEPT}, or the HTTP status to reject with. */
	int decide(HttpHeaders headers) {
		if (stall) {
			return STALL;
		}
		int status = rejectStatus;
		if (status != 0) {
			return status;
		}
		for (Map.Entry<String, String> required : requiredHeaders.entrySet()) {
			if (!required.getValue().equals(headers.get(required.getKey()))) {
				return 401;
			}
		}
		return ACCEPT;
	}

}

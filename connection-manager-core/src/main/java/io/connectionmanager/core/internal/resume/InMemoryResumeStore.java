package io.connectionmanager.core.internal.resume;

import io.connectionmanager.core.resume.ResumeStore;
import io.connectionmanager.core.resume.StreamPosition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Positions survive reconnects but not an application restart. */
public final class InMemoryResumeStore implements ResumeStore {

	private final Map<String, StreamPosition> positions = new ConcurrentHashMap<>();

	@Override
	public StreamPosition load(String connection) {
		return this.positions.get(connection);
	}

	@Override
	public void save(String connection, StreamPosition position) {
		this.positions.put(connection, position);
	}

}

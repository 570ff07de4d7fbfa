package io.connectionmanager.core.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a transport reports, thread-safely. */
final class RecordingTransportListener implements TransportListener {

	final List<Message> messages = new CopyOnWriteArrayList<>();

	final List<Boolean> writability = new CopyOnWriteArrayList<>();

	final List<Object> ends = new CopyOnWriteArrayList<>();

	@Override
	public void onMessage(Message message) {
		this.messages.add(message);
	}

	@Override
	public void onPong() {
	}

	@Override
	public void onPing() {
	}

	@Override
	public void onClosed(int code, String reason) {
		this.ends.add(code);
	}

	@Override
	public void onError(Throwable error) {
		this.ends.add(error);
	}

	@Override
	public void onWritabilityChanged(boolean writable) {
		this.writability.add(writable);
	}

}

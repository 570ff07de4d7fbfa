package io.connectionmanager.core.transport;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One application message: text or binary, whatever the transport's framing. */
public sealed interface Message permits Message.Text, Message.Binary {

	static Text text(String text) {
		return new Text(text);
	}

	static Binary binary(byte[] data) {
		return new Binary(data);
	}

	/** The payload size in bytes (UTF-8 for text), for buffer accounting. */
	int size();

	/** A text message. */
	record Text(String text) implements Message {

		public Text {
			Objects.requireNonNull(text, "text");
		}

		@Override
		public int size() {
			return this.text.length() <= 64 ? this.text.getBytes(StandardCharsets.UTF_8).length : utf8Length();
		}

		private int utf8Length() {
			int bytes = 0;
			for (int i = 0; i < this.text.length(); i++) {
				char c = this.text.charAt(i);
				bytes += (c < 0x80) ? 1 : (c < 0x800) ? 2 : Character.isHighSurrogate(c) ? 2 : 3;
			}
			return bytes;
		}

	}

	/**
	 * A binary message. The array is not copied: do not modify it after handing it over.
	 */
	record Binary(byte[] data) implements Message {

		public Binary {
			Objects.requireNonNull(data, "data");
		}

		@Override
		public int size() {
			return this.data.length;
		}

		@Override
		public String toString() {
			return "Binary[" + this.data.length + " bytes]";
		}

	}

}

package io.connectionmanager.core.internal.resume;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Maps a connection name to the base of its file name, safe on every common file system.
 * <p>
 * Plain names ({@code [A-Za-z0-9._-]}, up to {@value #MAX_LENGTH} characters) are used as
 * they are, so files written by earlier versions are still found. Every other byte of the
 * name's UTF-8 form is percent-encoded ({@code a/b} becomes {@code a%2Fb}), which is
 * reversible and cannot collide with a plain name or another encoded one: no separator,
 * reserved character or NUL reaches the file system, and {@code ..} stays a plain
 * component of a longer name ({@code ...position}). An encoded name longer than
 * {@value #MAX_LENGTH} characters is cut and suffixed with {@code ~} and 128 bits of its
 * SHA-256, so that the file name, its {@code .corrupt} sibling and the temporary files
 * stay far below the usual limit of 255 bytes.
 */
public final class ResumeFileNames {

	/** Room for {@code .position.corrupt} within 255 bytes, with a margin. */
	static final int MAX_LENGTH = 200;

	private static final int HASH_HEX_DIGITS = 32;

	private static final char HASH_MARK = '~';

	private ResumeFileNames() {
	}

	/** The file name base for a connection (without {@code .position}). */
	public static String encode(String connection) {
		String encoded = percentEncode(connection);
		if (encoded.length() <= MAX_LENGTH) {
			return encoded;
		}
		int cut = MAX_LENGTH - 1 - HASH_HEX_DIGITS;
		// Never cut an escape in half: the kept prefix stays decodable for a human
		// reader.
		int escape = encoded.lastIndexOf('%', cut - 1);
		if (escape >= 0 && escape > cut - 3) {
			cut = escape;
		}
		return encoded.substring(0, cut) + HASH_MARK + sha256(connection).substring(0, HASH_HEX_DIGITS);
	}

	/**
	 * The connection name of a file name base written by {@link #encode}, or {@code null}
	 * for a hashed (long) name, which cannot be reversed.
	 */
	public static String decode(String base) {
		if (base.indexOf(HASH_MARK) >= 0) {
			return null;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(base.length());
		for (int i = 0; i < base.length(); i++) {
			char c = base.charAt(i);
			if (c == '%' && i + 2 < base.length()) {
				bytes.write(HexFormat.fromHexDigits(base, i + 1, i + 3));
				i += 2;
			}
			else {
				bytes.write(c);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static String percentEncode(String connection) {
		StringBuilder encoded = new StringBuilder(connection.length());
		for (byte b : connection.getBytes(StandardCharsets.UTF_8)) {
			if (isPlain(b)) {
				encoded.append((char) b);
			}
			else {
				encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
			}
		}
		return encoded.toString();
	}

	private static boolean isPlain(byte b) {
		return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '.' || b == '_'
				|| b == '-';
	}

	private static String sha256(String connection) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(connection.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform provides SHA-256", ex);
		}
	}

}

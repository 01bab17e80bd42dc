package dev.statelens.engine.checkpoint;

import dev.statelens.engine.DType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * {@code .npz} files as {@code np.savez} writes them: a zip (java.util.zip) of uncompressed
 * {@code NAME.npy} members. Writing is crash-safe: a temporary file in the target's directory,
 * flushed to disk, then atomically renamed over the target, so a reader (or a process killed
 * mid-save) sees the old file or the new one, never a mix.
 */
final class Npz {

  /** Member times are fixed, so the same arrays always give the same bytes. */
  private static final LocalDateTime MEMBER_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private static final java.util.random.RandomGenerator RANDOM = new java.security.SecureRandom();

  private Npz() {}


  /** One array to write: its member name (without {@code .npy}) and its host data. */
  record Member(String name, DType dtype, int[] shape, Object data, int size) {}

  /** A read file: the arrays' headers and bytes by member name (without {@code .npy}), in file order. */
  record Contents(Path file, Map<String, Npy.Header> headers, Map<String, byte[]> bytes, Map<String, byte[]> others) {

    Object data(String name) {
      return Npy.readData(headers.get(name), bytes.get(name));
    }
  }

  /**
   * Writes {@code members} and the non-array {@code extras} (name with extension → bytes) to
   * {@code file} atomically. {@code wrap} wraps the file's stream (tests inject failures).
   */
  static void write(Path file, List<Member> members, Map<String, byte[]> extras, UnaryOperator<OutputStream> wrap)
      throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    // not Files.createTempFile: its owner-only permissions would stay on the checkpoint
    Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(wrap.apply(Channels.newOutputStream(channel)), 1 << 16));
        for (Member m : members) {
          putStored(zip, m.name() + ".npy", Npy.header(m.dtype(), m.shape()), Npy.data(m.dtype(), m.data(), m.size()));
        }
        for (Map.Entry<String, byte[]> e : extras.entrySet()) {
          putStored(zip, e.getKey(), e.getValue(), new byte[0]);
        }
        zip.finish();
        zip.flush();
        channel.force(true); // on disk before the rename makes it the checkpoint
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new CheckpointException("Checkpoints.save: the file system of " + dir + " cannot rename atomically, "
            + "so a crash could leave a half-written checkpoint; save to a local directory", e);
      }
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void putStored(ZipOutputStream zip, String name, byte[] header, byte[] data) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(header);
    crc.update(data);
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED); // as np.savez: members readable in place
    entry.setSize((long) header.length + data.length);
    entry.setCompressedSize((long) header.length + data.length);
    entry.setCrc(crc.getValue());
    entry.setTimeLocal(MEMBER_TIME);
    zip.putNextEntry(entry);
    zip.write(header);
    zip.write(data);
    zip.closeEntry();
  }

  /** Makes the rename itself durable (Linux, macOS); where a directory cannot be opened, skipped. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; its rename is durable through the file system's journal
    }
  }

  /**
   * Reads every member of {@code file}: {@code .npy} members are checked (CRC, header) and kept
   * by name without the extension; other members (the metadata) by their full name.
   *
   * @throws CheckpointException naming the file (and member) if it is missing, not a zip,
   *     truncated or corrupt
   */
  static Contents read(Path file, String operation) throws CheckpointException {
    Map<String, Npy.Header> headers = new LinkedHashMap<>();
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    Map<String, byte[]> others = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        byte[] content = readMember(zip, entry, file, operation);
        String name = entry.getName();
        if (!name.endsWith(".npy")) {
          others.put(name, content);
          continue;
        }
        String key = name.substring(0, name.length() - 4);
        try {
          Npy.Header header = Npy.readHeader(content);
          Npy.checkDataLength(header, content); // now, so a bad member fails before any leaf is built
          headers.put(key, header);
          bytes.put(key, content);
        } catch (IllegalArgumentException e) {
          throw new CheckpointException(operation + ": the member '" + name + "' of " + file + " is not a valid .npy "
              + "array: " + e.getMessage() + ". Restore an earlier checkpoint, or save this one again.");
        }
      }
    } catch (NoSuchFileException e) {
      throw new CheckpointException(operation + ": there is no file " + file + "; check the path (Checkpoints.save "
          + "writes the file you name, CheckpointManager writes DIR/step-NNNNNN.npz)", e);
    } catch (ZipException e) {
      throw new CheckpointException(operation + ": " + file + " is not a readable .npz (zip) file (" + e.getMessage()
          + "): it is truncated, corrupt, or not a checkpoint. Restore an earlier checkpoint, or save this one again.", e);
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(operation + ": cannot read " + file + ": " + e, e);
    }
    return new Contents(file, Collections.unmodifiableMap(headers), bytes, others);
  }

  private static byte[] readMember(ZipFile zip, ZipEntry entry, Path file, String operation) throws CheckpointException {
    byte[] content;
    try (InputStream in = zip.getInputStream(entry)) {
      content = in.readAllBytes();
    } catch (IOException e) {
      throw new CheckpointException(operation + ": the member '" + entry.getName() + "' of " + file
          + " cannot be read (" + e.getMessage() + "): the file is truncated or corrupt. Restore an earlier "
          + "checkpoint, or save this one again.", e);
    }
    CRC32 crc = new CRC32();
    crc.update(content);
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new CheckpointException(operation + ": the member '" + entry.getName() + "' of " + file
          + " is corrupt (its CRC-32 does not match the zip's record). Restore an earlier checkpoint, "
          + "or save this one again.");
    }
    return content;
  }
}

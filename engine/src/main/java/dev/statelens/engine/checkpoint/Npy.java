package dev.statelens.engine.checkpoint;

import dev.statelens.engine.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The NumPy {@code .npy} array format, the members of an {@code .npz}: a magic string, a version,
 * a header that is a Python dict literal ({@code {'descr': '<f4', 'fortran_order': False,
 * 'shape': (3,), }}), then the raw elements. Spec:
 * https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 *
 * <p>Writes version 1.0 exactly as {@code np.save} does (NumPy 1.23+: the header padded with 21
 * spare characters for the first axis, then to a 64-byte boundary), little-endian, C order. Reads
 * versions 1.0, 2.0 and 3.0, either byte order and Fortran order (reordered to C order).
 */
final class Npy {

  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** {@code numpy.lib.format.ARRAY_ALIGN}: magic + length + header end on this boundary. */
  private static final int ARRAY_ALIGN = 64;
  /** {@code numpy.lib.format.GROWTH_AXIS_MAX_DIGITS}: room to grow the first axis in place. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  private Npy() {}

  /** What an {@code .npy} header says: element type, byte order, layout and shape. */
  record Header(DType dtype, String descr, ByteOrder order, boolean fortranOrder, int[] shape, int dataOffset) {

    long size() {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }

    /** {@code f32[3,2]}, as the engine prints avals. */
    String aval() {
      return dtype.shortName() + Arrays.toString(shape).replace(" ", "");
    }
  }

  /**
   * The {@code descr} NumPy writes for {@code dtype}: {@code <f4 <f8 <f2 <i4 <u4 |b1}, and
   * {@code <V2} for bfloat16, which is what {@code np.save} writes for an ml_dtypes bfloat16
   * array (JAX's bf16): ml_dtypes registers it as a 2-byte void-kind dtype (see
   * docs/checkpoints.md; NumPy loads it back as {@code V2}, to view as {@code ml_dtypes.bfloat16}).
   */
  static String descr(DType dtype) {
    return switch (dtype) {
      case F32 -> "<f4";
      case F64 -> "<f8";
      case F16 -> "<f2";
      case BF16 -> "<V2";
      case I32 -> "<i4";
      case U32 -> "<u4";
      case BOOL -> "|b1";
      case C64 -> "<c8";
    };
  }

  /** The version 1.0 header (magic through the closing newline) of a C-order array. */
  static byte[] header(DType dtype, int[] shape) {
    StringBuilder dict = new StringBuilder("{'descr': '").append(descr(dtype))
        .append("', 'fortran_order': False, 'shape': ").append(pythonTuple(shape)).append(", }");
    if (shape.length > 0) {
      dict.repeat(' ', GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length());
    }
    int withNewline = dict.length() + 1;
    int pad = ARRAY_ALIGN - ((MAGIC.length + 2 + 2 + withNewline) % ARRAY_ALIGN);
    dict.repeat(' ', pad).append('\n');
    byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
    return out.array();
  }

  /** Python's repr of a tuple of ints: {@code ()}, {@code (3,)}, {@code (2, 0, 3)}. */
  static String pythonTuple(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(')').toString();
  }

  /** The elements of host array {@code data} (the engine's host layout for {@code dtype}), little-endian. */
  static byte[] data(DType dtype, Object data, int size) {
    ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(size, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case F32 -> out.asFloatBuffer().put((float[]) data, 0, size); // raw bits: NaN payloads and -0.0 kept
      case F64 -> out.asDoubleBuffer().put((double[]) data, 0, size);
      case I32, U32 -> out.asIntBuffer().put((int[]) data, 0, size);
      case BF16, F16 -> out.asShortBuffer().put((short[]) data, 0, size); // the 16-bit patterns
      case C64 -> out.asFloatBuffer().put((float[]) data, 0, 2 * size); // interleaved (re, im), as NumPy's <c8
      case BOOL -> {
        boolean[] b = (boolean[]) data;
        for (int i = 0; i < size; i++) {
          out.put(i, (byte) (b[i] ? 1 : 0));
        }
      }
    }
    return out.array();
  }

  /**
   * Parses the header at the start of {@code bytes}.
   *
   * @throws IllegalArgumentException with what is wrong (the caller adds the file and entry)
   */
  static Header readHeader(byte[] bytes) {
    if (bytes.length < MAGIC.length + 4 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IllegalArgumentException("it does not start with the .npy magic \\x93NUMPY");
    }
    int major = bytes[6] & 0xff;
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long length;
    int start;
    switch (major) {
      case 1 -> {
        length = in.getShort(8) & 0xffff;
        start = 10;
      }
      case 2, 3 -> {
        if (bytes.length < 12) {
          throw new IllegalArgumentException("its header is cut off");
        }
        length = in.getInt(8) & 0xffffffffL;
        start = 12;
      }
      default -> throw new IllegalArgumentException(
          "it is .npy format version " + major + "." + (bytes[7] & 0xff) + "; this reader knows 1.0, 2.0 and 3.0");
    }
    if (start + length > bytes.length) {
      throw new IllegalArgumentException("its header is cut off (" + length + " bytes announced)");
    }
    String text = new String(bytes, start, (int) length,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    HeaderDict dict = new HeaderDict(text).parse();
    return new Header(dtypeOf(dict.descr), dict.descr, orderOf(dict.descr), dict.fortranOrder, dict.shape,
        (int) (start + length));
  }

  private static DType dtypeOf(String descr) {
    String kind = descr.isEmpty() ? descr : descr.substring(1);
    DType dtype = switch (kind) {
      case "f4" -> DType.F32;
      case "f8" -> DType.F64;
      case "f2" -> DType.F16;
      case "V2" -> DType.BF16; // ml_dtypes' bfloat16 as np.save writes it (descr() above)
      case "i4" -> DType.I32;
      case "u4" -> DType.U32;
      case "b1" -> DType.BOOL;
      case "c8" -> DType.C64;
      default -> null;
    };
    if (dtype == null || "<>|=".indexOf(descr.charAt(0)) < 0) {
      throw new IllegalArgumentException("its dtype '" + descr + "' has no engine dtype (the engine has float32 <f4, "
          + "float64 <f8, float16 <f2, bfloat16 <V2, int32 <i4, uint32 <u4 and bool |b1); convert it in NumPy first, e.g. "
          + "np.savez(path, x=x.astype(np.float32))");
    }
    return dtype;
  }

  private static ByteOrder orderOf(String descr) {
    return switch (descr.charAt(0)) {
      case '>' -> ByteOrder.BIG_ENDIAN;
      case '=' -> ByteOrder.nativeOrder();
      default -> ByteOrder.LITTLE_ENDIAN; // '<', and '|' (single bytes: no order)
    };
  }

  /** Checks that {@code bytes} hold exactly the data the header's shape and dtype need. */
  static void checkDataLength(Header header, byte[] bytes) {
    long size = header.size();
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("its shape " + pythonTuple(header.shape()) + " has more than 2^31-1 elements, "
          + "the engine's limit for one array");
    }
    long expected = size * header.dtype().byteSize();
    long actual = bytes.length - (long) header.dataOffset();
    if (actual != expected) {
      throw new IllegalArgumentException("its shape " + pythonTuple(header.shape()) + " of " + header.descr()
          + " needs " + expected + " data bytes, but it holds " + actual);
    }
  }

  /**
   * The elements after the header as a host array of the engine's layout for the header's dtype,
   * in C order.
   *
   * @throws IllegalArgumentException if there are not exactly as many bytes as the shape needs
   */
  static Object readData(Header header, byte[] bytes) {
    checkDataLength(header, bytes);
    int n = (int) header.size();
    long actual = bytes.length - (long) header.dataOffset();
    ByteBuffer in = ByteBuffer.wrap(bytes, header.dataOffset(), (int) actual).slice().order(header.order());
    Object data = switch (header.dtype()) {
      case F32 -> {
        float[] f = new float[n];
        in.asFloatBuffer().get(f);
        yield f;
      }
      case F64 -> {
        double[] d = new double[n];
        in.asDoubleBuffer().get(d);
        yield d;
      }
      case I32, U32 -> {
        int[] i = new int[n];
        in.asIntBuffer().get(i);
        yield i;
      }
      case BF16, F16 -> {
        short[] h = new short[n];
        in.asShortBuffer().get(h);
        yield h;
      }
      case C64 -> {
        if (header.fortranOrder() && header.shape().length > 1) {
          throw new IllegalArgumentException("a Fortran-order complex64 .npy is not supported: save it in C order"
              + " (np.ascontiguousarray)");
        }
        float[] c = new float[2 * n];
        in.asFloatBuffer().get(c);
        yield c;
      }
      case BOOL -> {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
          b[i] = in.get(i) != 0;
        }
        yield b;
      }
    };
    return header.fortranOrder() && header.shape().length > 1 ? fortranToC(data, header.shape(), n) : data;
  }

  /** Reorders column-major (Fortran) elements to row-major. */
  private static Object fortranToC(Object fortran, int[] shape, int n) {
    Object c = java.lang.reflect.Array.newInstance(fortran.getClass().getComponentType(), n);
    int rank = shape.length;
    int[] fStride = new int[rank];
    int stride = 1;
    for (int k = 0; k < rank; k++) {
      fStride[k] = stride;
      stride *= shape[k];
    }
    int[] index = new int[rank];
    for (int i = 0; i < n; i++) {
      int from = 0;
      for (int k = 0; k < rank; k++) {
        from += index[k] * fStride[k];
      }
      System.arraycopy(fortran, from, c, i, 1);
      for (int k = rank - 1; k >= 0 && ++index[k] == shape[k]; k--) {
        index[k] = 0; // odometer over the C-order index
      }
    }
    return c;
  }

  /** A parser for the one dict literal an {@code .npy} header holds. */
  private static final class HeaderDict {
    private final String text;
    private int at;
    String descr;
    Boolean fortranOrder;
    int[] shape;

    HeaderDict(String text) {
      this.text = text;
    }

    HeaderDict parse() {
      expect('{');
      while (!peek('}')) {
        String key = string();
        expect(':');
        switch (key) {
          case "descr" -> {
            if (peek('[')) {
              throw bad("its dtype is a structured (record) dtype; save plain arrays, one per field");
            }
            descr = string();
          }
          case "fortran_order" -> fortranOrder = bool();
          case "shape" -> shape = tuple();
          default -> throw bad("its header has an unknown key '" + key + "'");
        }
        if (!peek('}')) {
          expect(',');
        }
      }
      expect('}');
      if (descr == null || fortranOrder == null || shape == null) {
        throw bad("its header lacks one of 'descr', 'fortran_order', 'shape': " + text.strip());
      }
      return this;
    }

    private String string() {
      skipSpace();
      char quote = at < text.length() ? text.charAt(at) : 0;
      if (quote != '\'' && quote != '"') {
        throw bad("its header is not a dict of quoted keys: " + text.strip());
      }
      int end = text.indexOf(quote, at + 1);
      if (end < 0) {
        throw bad("its header has an unterminated string: " + text.strip());
      }
      String s = text.substring(at + 1, end);
      at = end + 1;
      return s;
    }

    private boolean bool() {
      skipSpace();
      if (text.startsWith("True", at)) {
        at += 4;
        return true;
      }
      if (text.startsWith("False", at)) {
        at += 5;
        return false;
      }
      throw bad("its 'fortran_order' is neither True nor False: " + text.strip());
    }

    private int[] tuple() {
      expect('(');
      int[] dims = new int[0];
      while (!peek(')')) {
        skipSpace();
        int start = at;
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
          at++;
        }
        if (start == at) {
          throw bad("its 'shape' is not a tuple of non-negative ints: " + text.strip());
        }
        long dim = Long.parseLong(text, start, at, 10);
        if (dim > Integer.MAX_VALUE) {
          throw bad("its dimension " + dim + " is larger than the engine's limit of 2^31-1");
        }
        if (at < text.length() && text.charAt(at) == 'L') {
          at++; // Python 2 long
        }
        dims = Arrays.copyOf(dims, dims.length + 1);
        dims[dims.length - 1] = (int) dim;
        if (!peek(')')) {
          expect(',');
        }
      }
      expect(')');
      return dims;
    }

    private boolean peek(char c) {
      skipSpace();
      return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw bad("its header is not the dict literal .npy needs (expected '" + c + "' at " + at + "): " + text.strip());
      }
      at++;
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private static IllegalArgumentException bad(String problem) {
      return new IllegalArgumentException(problem);
    }
  }
}

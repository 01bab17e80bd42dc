package dev.statelens.engine.backend.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * A vendor's runtime compiler, NVRTC or hiprtc, through {@code java.lang.foreign}: the two have
 * the same API under different prefixes (hiprtc copied NVRTC), except for the name of the call
 * that returns the binary ({@code nvrtcGetCUBIN}, {@code hiprtcGetCode}).
 */
public final class RuntimeCompiler {
  private final String prefix;
  private final String codeName;
  private final MethodHandle create;
  private final MethodHandle compile;
  private final MethodHandle logSize;
  private final MethodHandle log;
  private final MethodHandle codeSize;
  private final MethodHandle code;
  private final MethodHandle destroy;
  private final MethodHandle errorString;
  private final String version;

  /**
   * @param prefix {@code nvrtc} or {@code hiprtc}
   * @param codeName what follows {@code prefix + "Get"} for the binary: {@code CUBIN} or {@code Code}
   */
  public RuntimeCompiler(Native lib, String prefix, String codeName) {
    this.prefix = prefix;
    this.codeName = codeName;
    create = lib.fn(prefix + "CreateProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    compile = lib.fn(prefix + "CompileProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    logSize = lib.fn(prefix + "GetProgramLogSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    log = lib.fn(prefix + "GetProgramLog", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    codeSize = lib.fn(prefix + "Get" + codeName + "Size", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    code = lib.fn(prefix + "Get" + codeName, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    destroy = lib.fn(prefix + "DestroyProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    errorString = lib.fn(prefix + "GetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    MethodHandle ver = lib.fn(prefix + "Version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    version = NativeCall.inArena(prefix + "Version", a -> {
      MemorySegment maj = a.allocate(JAVA_INT);
      MemorySegment min = a.allocate(JAVA_INT);
      check(prefix + "Version", (int) ver.invokeExact(maj, min));
      return prefix + " " + maj.get(JAVA_INT, 0) + "." + min.get(JAVA_INT, 0);
    });
  }

  /** The compiler and its version, e.g. {@code nvrtc 12.4}. */
  public String version() {
    return version;
  }

  private void check(String api, int status) {
    if (status != 0) {
      String text;
      try {
        text = Native.cString((MemorySegment) errorString.invokeExact(status));
      } catch (Throwable t) {
        text = prefix + "Result " + status;
      }
      throw new GpuException(api + " failed: " + text + " (" + status + ")");
    }
  }

  /**
   * Compiles {@code source} with {@code options}; {@code target} names the arch in a compile
   * error (the compiler's log follows).
   */
  public byte[] compile(String source, String fileName, String target, List<String> options) {
    return NativeCall.inArena(prefix + " compilation", a -> {
      MemorySegment prog = a.allocate(ADDRESS);
      check(prefix + "CreateProgram", (int) create.invokeExact(prog, a.allocateFrom(source),
          a.allocateFrom(fileName), 0, MemorySegment.NULL, MemorySegment.NULL));
      MemorySegment handle = prog.get(ADDRESS, 0);
      try {
        MemorySegment optv = a.allocate(ADDRESS, options.size());
        for (int i = 0; i < options.size(); i++) {
          optv.setAtIndex(ADDRESS, i, a.allocateFrom(options.get(i)));
        }
        int status = (int) compile.invokeExact(handle, options.size(), optv);
        if (status != 0) {
          throw new GpuException(prefix + "CompileProgram failed for " + fileName + " (" + target + "): "
              + log(a, handle));
        }
        MemorySegment size = a.allocate(JAVA_LONG);
        check(prefix + "Get" + codeName + "Size", (int) codeSize.invokeExact(handle, size));
        long bytes = size.get(JAVA_LONG, 0);
        MemorySegment image = a.allocate(Math.max(1, bytes)); // an empty image still gets a valid buffer
        check(prefix + "Get" + codeName, (int) code.invokeExact(handle, image));
        return image.asSlice(0, bytes).toArray(JAVA_BYTE);
      } finally {
        int ignored = (int) destroy.invokeExact(prog);
      }
    });
  }

  private String log(Arena a, MemorySegment handle) throws Throwable {
    MemorySegment size = a.allocate(JAVA_LONG);
    if ((int) logSize.invokeExact(handle, size) != 0) {
      return "(no log)";
    }
    // one spare zero byte: some runtimes count the terminator in the size, some do not
    MemorySegment text = a.allocate(size.get(JAVA_LONG, 0) + 1);
    int ignored = (int) log.invokeExact(handle, text);
    return text.getString(0).strip();
  }
}

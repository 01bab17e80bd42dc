package dev.statelens.engine.backend.cpu;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_void;
import static java.lang.constant.ConstantDescs.INIT_NAME;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * What the CPU backend's two class generators share ({@link GraphCodegen}: a whole graph,
 * {@link FusedF32Code}: one fused group): the class file settings, a final class implementing one
 * interface whose constructor keeps its constants in the field {@value #CONSTANTS}, the JIT's
 * method size limit, and defining the class hidden, in this package, to make its one instance.
 */
final class HiddenClasses {
  private HiddenClasses() {}

  /** HotSpot does not JIT-compile methods above 8000 bytes of bytecode; stay below. */
  static final int MAX_CODE_BYTES = 7_900;

  /** The field holding the constants the generated code reads ({@code Object[]}). */
  static final String CONSTANTS = "k";
  static final ClassDesc CD_OBJECTS = CD_Object.arrayType();

  /** Class files that resolve the project's classes through this class loader. */
  static ClassFile classFile() {
    return ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
        ClassHierarchyResolver.ofClassLoading(HiddenClasses.class.getClassLoader())
            .orElse(ClassHierarchyResolver.defaultResolver())));
  }

  /** Flags, {@code implemented}, the constants field and the constructor {@code (Object[] k)} of class {@code self}. */
  static void withConstantsConstructor(ClassBuilder cb, ClassDesc self, ClassDesc implemented) {
    cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
    cb.withInterfaceSymbols(implemented);
    cb.withField(CONSTANTS, CD_OBJECTS, ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
    cb.withMethodBody(INIT_NAME, MethodTypeDesc.of(CD_void, CD_OBJECTS), ClassFile.ACC_PUBLIC, code -> code
        .aload(0).invokespecial(CD_Object, INIT_NAME, MethodTypeDesc.of(CD_void))
        .aload(0).aload(1).putfield(self, CONSTANTS, CD_OBJECTS)
        .return_());
  }

  /** The code length in bytes of the longest method of class file {@code bytes}. */
  static int longestMethod(ClassFile cf, byte[] bytes) {
    int longest = 0;
    for (MethodModel m : cf.parse(bytes).methods()) {
      longest = Math.max(longest, m.findAttribute(Attributes.code()).map(c -> c.codeLength()).orElse(0));
    }
    return longest;
  }

  /** Defines {@code bytes} as a hidden class and returns its instance made with {@code constants}. */
  static <T> T instantiate(byte[] bytes, Object[] constants, Class<T> type) throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
    try {
      return type.cast(lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class, Object[].class))
          .invoke(constants));
    } catch (ReflectiveOperationException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}

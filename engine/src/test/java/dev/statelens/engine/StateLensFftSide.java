package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The StateLens twins of {@code bench/gpu/fft_reference.py}'s cases (every {@code fn} under
 * {@code fft/}): {@link Fft} and complex64 arithmetic. A complex array travels as two f32
 * tensors {@code NAME_re}, {@code NAME_im}; complex outputs are written back the same way.
 */
final class StateLensFftSide {
  private StateLensFftSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("fft/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("fft/".length());
    JsonNode args = c.args();
    Map<String, Array> out = new LinkedHashMap<>();
    if (fn.equals("fno/forward")) {
      out.put("out", fno(in.get("x"), in.get("wr"), in.get("wi")));
      return out;
    }
    if (fn.startsWith("grad/")) {
      List<String> names = new ArrayList<>(in.keySet());
      Function<List<Array>, Array> f = xs -> loss(fn.substring("grad/".length()), xs);
      List<Array> grads = Transforms.grad(f).apply(new ArrayList<>(in.values()));
      for (int i = 0; i < names.size(); i++) {
        out.put("d" + names.get(i), grads.get(i));
      }
      return out;
    }
    Array result = switch (fn) {
      case "fftfreq" -> Fft.fftfreq(args.get("n").asInt(), args.get("d").asDouble());
      case "rfftfreq" -> Fft.rfftfreq(args.get("n").asInt(), args.get("d").asDouble());
      case "fftshift" -> Fft.fftshift(in.get("x"));
      case "ifftshift" -> Fft.ifftshift(in.get("x"), args.get("axes").asInt());
      case "vmap/fft_axis0" -> Transforms.vmap((Array z) -> Fft.fft(z, null, 0, null)).apply(complex(in, "x"));
      default -> fn.startsWith("complex/") ? complexOp(fn.substring("complex/".length()), in) : transform(fn, in, args);
    };
    if (result.dtype().isComplex()) {
      out.put("out_re", result.real());
      out.put("out_im", result.imag());
    } else {
      out.put("out", result);
    }
    return out;
  }

  private static Array complex(Map<String, Array> in, String name) {
    return Array.complex(in.get(name + "_re"), in.get(name + "_im"));
  }

  private static Integer optInt(JsonNode args, String key) {
    return args.has(key) ? args.get(key).asInt() : null;
  }

  private static int[] optInts(JsonNode args, String key) {
    if (!args.has(key)) {
      return null;
    }
    int[] r = new int[args.get(key).size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = args.get(key).get(i).asInt();
    }
    return r;
  }

  private static Array transform(String fn, Map<String, Array> in, JsonNode args) {
    Array x = in.containsKey("x") ? in.get("x") : complex(in, "x");
    Integer n = optInt(args, "n");
    int axis = args.has("axis") ? args.get("axis").asInt() : -1;
    String norm = args.has("norm") ? args.get("norm").asText() : null;
    int[] s = optInts(args, "s");
    int[] axes = optInts(args, "axes");
    return switch (fn) {
      case "fft" -> Fft.fft(x, n, axis, norm);
      case "ifft" -> Fft.ifft(x, n, axis, norm);
      case "rfft" -> Fft.rfft(x, n, axis, norm);
      case "irfft" -> Fft.irfft(x, n, axis, norm);
      case "fft2" -> Fft.fft2(x, s, axes, norm);
      case "ifft2" -> Fft.ifft2(x, s, axes, norm);
      case "rfft2" -> Fft.rfft2(x, s, axes, norm);
      case "irfft2" -> Fft.irfft2(x, s, axes, norm);
      case "fftn" -> Fft.fftn(x, s, axes, norm);
      case "ifftn" -> Fft.ifftn(x, s, axes, norm);
      case "rfftn" -> Fft.rfftn(x, s, axes, norm);
      case "irfftn" -> Fft.irfftn(x, s, axes, norm);
      default -> throw new IllegalArgumentException("jax-reference fft case '" + fn
          + "': no StateLens twin; add a branch to StateLensFftSide.transform");
    };
  }

  private static Array complexOp(String name, Map<String, Array> in) {
    Array a = complex(in, "a");
    Array b = complex(in, "b");
    return switch (name) {
      case "mul" -> a.mul(b);
      case "div" -> a.div(b);
      case "add_sub" -> a.add(b.mul(2)).sub(1);
      case "exp" -> a.exp();
      case "abs" -> a.abs();
      case "angle" -> a.angle();
      case "conj" -> a.conj();
      case "sign" -> a.sign();
      case "square" -> a.square();
      case "sum" -> a.mul(b).sum();
      case "mean" -> a.mean();
      case "real_imag" -> a.mul(b).real().add(a.imag());
      default -> throw new IllegalArgumentException("jax-reference fft/complex case '" + name
          + "': no StateLens twin; add a branch to StateLensFftSide.complexOp");
    };
  }

  /**
   * A Fourier Neural Operator spectral convolution (FNO's SpectralConv2d, low modes only): rfft2,
   * keep m1 x m2 modes, a complex einsum over channels, zero-pad, irfft2.
   */
  static Array fno(Array x, Array wr, Array wi) {
    int h = x.dim(2);
    int w = x.dim(3);
    int m1 = wr.dim(2);
    int m2 = wr.dim(3);
    Array xf = Fft.rfft2(x);
    Array modes = xf.slice(new int[] {0, 0, 0, 0}, new int[] {x.dim(0), x.dim(1), m1, m2});
    Array top = Array.einsum("bixy,ioxy->boxy", modes, Array.complex(wr, wi));
    Array full = top.pad(new int[][] {{0, 0}, {0, 0}, {0, h - m1}, {0, w / 2 + 1 - m2}}, 0);
    return Fft.irfft2(full, new int[] {h, w}, null, null);
  }

  /** The losses of fft_reference.py's gradient cases. */
  private static Array loss(String name, List<Array> xs) {
    Array x = xs.get(0);
    Array c12 = Array.complex(Array.scalar(1f), Array.scalar(2f));
    return switch (name) {
      case "abs_rfft" -> Fft.rfft(x).abs().sum();
      case "abs_rfft_odd" -> Fft.rfft(x, 7, -1, null).abs().sum();
      case "real_fft" -> Fft.fft(x.mul(c12)).real().mul(Array.arange(8).astype(DType.F32)).sum();
      case "imag_ifft" -> Fft.ifft(x).imag().mul(Array.arange(8).astype(DType.F32)).sum();
      case "irfft" -> Fft.irfft(Fft.rfft(x).mul(Array.complex(Array.scalar(1f), Array.scalar(-0.5f))), 8, -1, null)
          .mul(Array.arange(8).astype(DType.F32)).sum();
      case "irfft_odd" -> Fft.irfft(Fft.rfft(x).mul(Array.complex(Array.scalar(0f), Array.scalar(1f))), 6, -1, null)
          .square().sum();
      case "power_fft2" -> Fft.fft2(x).abs().square().mul(Array.arange(12).astype(DType.F32).reshape(3, 4)).sum();
      case "ortho_rfft2_irfft2" -> Fft.irfft2(Fft.rfft2(x, null, null, "ortho").mul(0.5), new int[] {3, 5}, null, "ortho")
          .sin().sum();
      case "parts" -> Fft.fft(Array.complex(x, xs.get(1))).abs().mul(Array.arange(6).astype(DType.F32)).sum();
      case "fno" -> {
        // weight: the same scrambled sine as fft_reference.py's arr((2, 4, 8, 6), 1.0, 53.0)
        float[] w = new float[2 * 4 * 8 * 6];
        for (int i = 0; i < w.length; i++) {
          w[i] = (float) Math.sin(i * 1.7 + 0.3 + 53.0);
        }
        yield fno(x, xs.get(1), xs.get(2)).sin().mul(Array.of(DType.F32, new int[] {2, 4, 8, 6}, w)).sum();
      }
      case "complex_ops" -> {
        Array z = Array.complex(x, xs.get(1));
        Array w = z.mul(Array.complex(Array.scalar(0.5f), Array.scalar(-1f))).exp()
            .div(Array.complex(Array.full(new int[] {5}, 2), x));
        yield w.angle().sum().add(z.conj().square().abs().sum());
      }
      default -> throw new IllegalArgumentException("jax-reference fft/grad case '" + name
          + "': no StateLens twin; add a branch to StateLensFftSide.loss");
    };
  }
}

package dev.statelens.engine.fft;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The passes of {@link LanePlan}: in-place decimation-in-frequency radix-2, 3, 4, 5, 8 and generic
 * odd butterflies (pocketfft's arithmetic), on {@link #lanes()} transforms at once. A lane buffer
 * holds element x of lane l at {@code x * lanes + l}, so every butterfly is one vector operation
 * per real operation whatever the stage, and twiddles are broadcast scalars. A pass of radix p
 * over {@code blocks} consecutive blocks of m elements from element {@code off} takes, in each
 * block, {@code x_q = a[i + q s]} ({@code s = m/p}, q &lt; p) to
 * {@code a[i + j s] = W^(j i) sum_q x_q e^(-2 pi i jq/p)} with {@code W = e^(-2 pi i/m)}; the
 * twiddle {@code W^(j i)} is {@code tw[(j-1) s + i]}, none at i = 0. Mul and add only, no fused
 * multiply-add (measured slower here, and the bits would depend on the hardware).
 *
 * <p>Vectors never cross a method boundary here (C2 boxes a vector passed to a method it did not
 * inline, which made these passes 5 x slower): each method loads, computes and stores, and the
 * butterflies at i = 0 (no twiddle) and the twiddled ones are loops of their own.
 */
final class LaneButterflies {
  private LaneButterflies() {}

  static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int L = SPECIES.length();

  static int lanes() {
    return L;
  }

  private static final double SQRT_HALF = 0.70710678118654752440;
  private static final double SIN60 = 0.8660254037844386467637231707529362;
  private static final double C72 = 0.3090169943749474241; // cos(2 pi/5)
  private static final double S72 = 0.95105651629515357212;
  private static final double C144 = -0.8090169943749474241;
  private static final double S144 = 0.58778525229247312917;

  static void pass(int p, double[] re, double[] im, int off, int blocks, int m, double[] twr, double[] twi, double[] rootR, double[] rootI) {
    switch (p) {
      case 8 -> {
        plain8(re, im, off, blocks, m);
        if (m > 8) {
          twiddled8(re, im, off, blocks, m, twr, twi);
        }
      }
      case 4 -> {
        plain4(re, im, off, blocks, m);
        if (m > 4) {
          twiddled4(re, im, off, blocks, m, twr, twi);
        }
      }
      case 2 -> {
        plain2(re, im, off, blocks, m);
        if (m > 2) {
          twiddled2(re, im, off, blocks, m, twr, twi);
        }
      }
      case 3 -> {
        plain3(re, im, off, blocks, m);
        if (m > 3) {
          twiddled3(re, im, off, blocks, m, twr, twi);
        }
      }
      case 5 -> {
        plain5(re, im, off, blocks, m);
        if (m > 5) {
          twiddled5(re, im, off, blocks, m, twr, twi);
        }
      }
      default -> passOdd(p, re, im, off, blocks, m, twr, twi, rootR, rootI);
    }
  }

  private static void plain8(double[] re, double[] im, int off, int blocks, int m) {
    int s = m / 8;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      int c = b * L;
      DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
      DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
      DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
      DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
      DoubleVector x2r = DoubleVector.fromArray(SPECIES, re, c + 2 * cs);
      DoubleVector x2i = DoubleVector.fromArray(SPECIES, im, c + 2 * cs);
      DoubleVector x3r = DoubleVector.fromArray(SPECIES, re, c + 3 * cs);
      DoubleVector x3i = DoubleVector.fromArray(SPECIES, im, c + 3 * cs);
      DoubleVector x4r = DoubleVector.fromArray(SPECIES, re, c + 4 * cs);
      DoubleVector x4i = DoubleVector.fromArray(SPECIES, im, c + 4 * cs);
      DoubleVector x5r = DoubleVector.fromArray(SPECIES, re, c + 5 * cs);
      DoubleVector x5i = DoubleVector.fromArray(SPECIES, im, c + 5 * cs);
      DoubleVector x6r = DoubleVector.fromArray(SPECIES, re, c + 6 * cs);
      DoubleVector x6i = DoubleVector.fromArray(SPECIES, im, c + 6 * cs);
      DoubleVector x7r = DoubleVector.fromArray(SPECIES, re, c + 7 * cs);
      DoubleVector x7i = DoubleVector.fromArray(SPECIES, im, c + 7 * cs);
      DoubleVector a0r = x0r.add(x4r);
      DoubleVector a0i = x0i.add(x4i);
      DoubleVector b0r = x0r.sub(x4r);
      DoubleVector b0i = x0i.sub(x4i);
      DoubleVector a1r = x1r.add(x5r);
      DoubleVector a1i = x1i.add(x5i);
      DoubleVector d1r = x1r.sub(x5r);
      DoubleVector d1i = x1i.sub(x5i);
      DoubleVector b1r = d1r.add(d1i).mul(SQRT_HALF); // (1 - i)/sqrt 2 d1
      DoubleVector b1i = d1i.sub(d1r).mul(SQRT_HALF);
      DoubleVector a2r = x2r.add(x6r);
      DoubleVector a2i = x2i.add(x6i);
      DoubleVector b2r = x2i.sub(x6i); // -i d2
      DoubleVector b2i = x6r.sub(x2r);
      DoubleVector a3r = x3r.add(x7r);
      DoubleVector a3i = x3i.add(x7i);
      DoubleVector d3r = x3r.sub(x7r);
      DoubleVector d3i = x3i.sub(x7i);
      DoubleVector b3r = d3i.sub(d3r).mul(SQRT_HALF); // (-1 - i)/sqrt 2 d3
      DoubleVector b3i = d3r.add(d3i).mul(-SQRT_HALF);
      DoubleVector at1r = a0r.sub(a2r);
      DoubleVector at1i = a0i.sub(a2i);
      DoubleVector at2r = a0r.add(a2r);
      DoubleVector at2i = a0i.add(a2i);
      DoubleVector at3r = a1r.add(a3r);
      DoubleVector at3i = a1i.add(a3i);
      DoubleVector at4r = a1r.sub(a3r);
      DoubleVector at4i = a1i.sub(a3i);
      DoubleVector ayr = at2r.add(at3r);
      DoubleVector ayi = at2i.add(at3i);
      ayr.intoArray(re, c);
      ayi.intoArray(im, c);
      ayr = at1r.add(at4i);
      ayi = at1i.sub(at4r);
      ayr.intoArray(re, c + 2 * cs);
      ayi.intoArray(im, c + 2 * cs);
      ayr = at2r.sub(at3r);
      ayi = at2i.sub(at3i);
      ayr.intoArray(re, c + 4 * cs);
      ayi.intoArray(im, c + 4 * cs);
      ayr = at1r.sub(at4i);
      ayi = at1i.add(at4r);
      ayr.intoArray(re, c + 6 * cs);
      ayi.intoArray(im, c + 6 * cs);
      DoubleVector bt1r = b0r.sub(b2r);
      DoubleVector bt1i = b0i.sub(b2i);
      DoubleVector bt2r = b0r.add(b2r);
      DoubleVector bt2i = b0i.add(b2i);
      DoubleVector bt3r = b1r.add(b3r);
      DoubleVector bt3i = b1i.add(b3i);
      DoubleVector bt4r = b1r.sub(b3r);
      DoubleVector bt4i = b1i.sub(b3i);
      DoubleVector byr = bt2r.add(bt3r);
      DoubleVector byi = bt2i.add(bt3i);
      byr.intoArray(re, c + cs);
      byi.intoArray(im, c + cs);
      byr = bt1r.add(bt4i);
      byi = bt1i.sub(bt4r);
      byr.intoArray(re, c + 3 * cs);
      byi.intoArray(im, c + 3 * cs);
      byr = bt2r.sub(bt3r);
      byi = bt2i.sub(bt3i);
      byr.intoArray(re, c + 5 * cs);
      byi.intoArray(im, c + 5 * cs);
      byr = bt1r.sub(bt4i);
      byi = bt1i.add(bt4r);
      byr.intoArray(re, c + 7 * cs);
      byi.intoArray(im, c + 7 * cs);
    }
  }

  private static void twiddled8(double[] re, double[] im, int off, int blocks, int m, double[] twr, double[] twi) {
    int s = m / 8;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      for (int i = 1; i < s; i++) {
        int c = (b + i) * L;
        DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
        DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
        DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
        DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
        DoubleVector x2r = DoubleVector.fromArray(SPECIES, re, c + 2 * cs);
        DoubleVector x2i = DoubleVector.fromArray(SPECIES, im, c + 2 * cs);
        DoubleVector x3r = DoubleVector.fromArray(SPECIES, re, c + 3 * cs);
        DoubleVector x3i = DoubleVector.fromArray(SPECIES, im, c + 3 * cs);
        DoubleVector x4r = DoubleVector.fromArray(SPECIES, re, c + 4 * cs);
        DoubleVector x4i = DoubleVector.fromArray(SPECIES, im, c + 4 * cs);
        DoubleVector x5r = DoubleVector.fromArray(SPECIES, re, c + 5 * cs);
        DoubleVector x5i = DoubleVector.fromArray(SPECIES, im, c + 5 * cs);
        DoubleVector x6r = DoubleVector.fromArray(SPECIES, re, c + 6 * cs);
        DoubleVector x6i = DoubleVector.fromArray(SPECIES, im, c + 6 * cs);
        DoubleVector x7r = DoubleVector.fromArray(SPECIES, re, c + 7 * cs);
        DoubleVector x7i = DoubleVector.fromArray(SPECIES, im, c + 7 * cs);
        DoubleVector a0r = x0r.add(x4r);
        DoubleVector a0i = x0i.add(x4i);
        DoubleVector b0r = x0r.sub(x4r);
        DoubleVector b0i = x0i.sub(x4i);
        DoubleVector a1r = x1r.add(x5r);
        DoubleVector a1i = x1i.add(x5i);
        DoubleVector d1r = x1r.sub(x5r);
        DoubleVector d1i = x1i.sub(x5i);
        DoubleVector b1r = d1r.add(d1i).mul(SQRT_HALF); // (1 - i)/sqrt 2 d1
        DoubleVector b1i = d1i.sub(d1r).mul(SQRT_HALF);
        DoubleVector a2r = x2r.add(x6r);
        DoubleVector a2i = x2i.add(x6i);
        DoubleVector b2r = x2i.sub(x6i); // -i d2
        DoubleVector b2i = x6r.sub(x2r);
        DoubleVector a3r = x3r.add(x7r);
        DoubleVector a3i = x3i.add(x7i);
        DoubleVector d3r = x3r.sub(x7r);
        DoubleVector d3i = x3i.sub(x7i);
        DoubleVector b3r = d3i.sub(d3r).mul(SQRT_HALF); // (-1 - i)/sqrt 2 d3
        DoubleVector b3i = d3r.add(d3i).mul(-SQRT_HALF);
        double wr;
        double wi;
        DoubleVector at1r = a0r.sub(a2r);
        DoubleVector at1i = a0i.sub(a2i);
        DoubleVector at2r = a0r.add(a2r);
        DoubleVector at2i = a0i.add(a2i);
        DoubleVector at3r = a1r.add(a3r);
        DoubleVector at3i = a1i.add(a3i);
        DoubleVector at4r = a1r.sub(a3r);
        DoubleVector at4i = a1i.sub(a3i);
        DoubleVector ayr = at2r.add(at3r);
        DoubleVector ayi = at2i.add(at3i);
        ayr.intoArray(re, c);
        ayi.intoArray(im, c);
        ayr = at1r.add(at4i);
        ayi = at1i.sub(at4r);
        wr = twr[s + i];
        wi = twi[s + i];
        ayr.mul(wr).sub(ayi.mul(wi)).intoArray(re, c + 2 * cs);
        ayr.mul(wi).add(ayi.mul(wr)).intoArray(im, c + 2 * cs);
        ayr = at2r.sub(at3r);
        ayi = at2i.sub(at3i);
        wr = twr[3 * s + i];
        wi = twi[3 * s + i];
        ayr.mul(wr).sub(ayi.mul(wi)).intoArray(re, c + 4 * cs);
        ayr.mul(wi).add(ayi.mul(wr)).intoArray(im, c + 4 * cs);
        ayr = at1r.sub(at4i);
        ayi = at1i.add(at4r);
        wr = twr[5 * s + i];
        wi = twi[5 * s + i];
        ayr.mul(wr).sub(ayi.mul(wi)).intoArray(re, c + 6 * cs);
        ayr.mul(wi).add(ayi.mul(wr)).intoArray(im, c + 6 * cs);
        DoubleVector bt1r = b0r.sub(b2r);
        DoubleVector bt1i = b0i.sub(b2i);
        DoubleVector bt2r = b0r.add(b2r);
        DoubleVector bt2i = b0i.add(b2i);
        DoubleVector bt3r = b1r.add(b3r);
        DoubleVector bt3i = b1i.add(b3i);
        DoubleVector bt4r = b1r.sub(b3r);
        DoubleVector bt4i = b1i.sub(b3i);
        DoubleVector byr = bt2r.add(bt3r);
        DoubleVector byi = bt2i.add(bt3i);
        wr = twr[i];
        wi = twi[i];
        byr.mul(wr).sub(byi.mul(wi)).intoArray(re, c + cs);
        byr.mul(wi).add(byi.mul(wr)).intoArray(im, c + cs);
        byr = bt1r.add(bt4i);
        byi = bt1i.sub(bt4r);
        wr = twr[2 * s + i];
        wi = twi[2 * s + i];
        byr.mul(wr).sub(byi.mul(wi)).intoArray(re, c + 3 * cs);
        byr.mul(wi).add(byi.mul(wr)).intoArray(im, c + 3 * cs);
        byr = bt2r.sub(bt3r);
        byi = bt2i.sub(bt3i);
        wr = twr[4 * s + i];
        wi = twi[4 * s + i];
        byr.mul(wr).sub(byi.mul(wi)).intoArray(re, c + 5 * cs);
        byr.mul(wi).add(byi.mul(wr)).intoArray(im, c + 5 * cs);
        byr = bt1r.sub(bt4i);
        byi = bt1i.add(bt4r);
        wr = twr[6 * s + i];
        wi = twi[6 * s + i];
        byr.mul(wr).sub(byi.mul(wi)).intoArray(re, c + 7 * cs);
        byr.mul(wi).add(byi.mul(wr)).intoArray(im, c + 7 * cs);
      }
    }
  }

  private static void plain4(double[] re, double[] im, int off, int blocks, int m) {
    int s = m / 4;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      int c = b * L;
      DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
      DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
      DoubleVector x2r = DoubleVector.fromArray(SPECIES, re, c + 2 * cs);
      DoubleVector x2i = DoubleVector.fromArray(SPECIES, im, c + 2 * cs);
      DoubleVector t1r = x0r.sub(x2r);
      DoubleVector t1i = x0i.sub(x2i);
      DoubleVector t2r = x0r.add(x2r);
      DoubleVector t2i = x0i.add(x2i);
      DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
      DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
      DoubleVector x3r = DoubleVector.fromArray(SPECIES, re, c + 3 * cs);
      DoubleVector x3i = DoubleVector.fromArray(SPECIES, im, c + 3 * cs);
      DoubleVector t3r = x1r.add(x3r);
      DoubleVector t3i = x1i.add(x3i);
      DoubleVector t4r = x1r.sub(x3r);
      DoubleVector t4i = x1i.sub(x3i);
      DoubleVector y0r = t2r.add(t3r);
      DoubleVector y0i = t2i.add(t3i);
      DoubleVector y1r = t1r.add(t4i); // t1 + (-i) t4
      DoubleVector y1i = t1i.sub(t4r);
      DoubleVector y2r = t2r.sub(t3r);
      DoubleVector y2i = t2i.sub(t3i);
      DoubleVector y3r = t1r.sub(t4i);
      DoubleVector y3i = t1i.add(t4r);
      y0r.intoArray(re, c);
      y0i.intoArray(im, c);
      y1r.intoArray(re, c + cs);
      y1i.intoArray(im, c + cs);
      y2r.intoArray(re, c + 2 * cs);
      y2i.intoArray(im, c + 2 * cs);
      y3r.intoArray(re, c + 3 * cs);
      y3i.intoArray(im, c + 3 * cs);
    }
  }

  private static void twiddled4(double[] re, double[] im, int off, int blocks, int m, double[] twr, double[] twi) {
    int s = m / 4;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      for (int i = 1; i < s; i++) {
        int c = (b + i) * L;
        DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
        DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
        DoubleVector x2r = DoubleVector.fromArray(SPECIES, re, c + 2 * cs);
        DoubleVector x2i = DoubleVector.fromArray(SPECIES, im, c + 2 * cs);
        DoubleVector t1r = x0r.sub(x2r);
        DoubleVector t1i = x0i.sub(x2i);
        DoubleVector t2r = x0r.add(x2r);
        DoubleVector t2i = x0i.add(x2i);
        DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
        DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
        DoubleVector x3r = DoubleVector.fromArray(SPECIES, re, c + 3 * cs);
        DoubleVector x3i = DoubleVector.fromArray(SPECIES, im, c + 3 * cs);
        DoubleVector t3r = x1r.add(x3r);
        DoubleVector t3i = x1i.add(x3i);
        DoubleVector t4r = x1r.sub(x3r);
        DoubleVector t4i = x1i.sub(x3i);
        DoubleVector y0r = t2r.add(t3r);
        DoubleVector y0i = t2i.add(t3i);
        DoubleVector y1r = t1r.add(t4i); // t1 + (-i) t4
        DoubleVector y1i = t1i.sub(t4r);
        DoubleVector y2r = t2r.sub(t3r);
        DoubleVector y2i = t2i.sub(t3i);
        DoubleVector y3r = t1r.sub(t4i);
        DoubleVector y3i = t1i.add(t4r);
        double wr;
        double wi;
        y0r.intoArray(re, c);
        y0i.intoArray(im, c);
        wr = twr[i];
        wi = twi[i];
        y1r.mul(wr).sub(y1i.mul(wi)).intoArray(re, c + cs);
        y1r.mul(wi).add(y1i.mul(wr)).intoArray(im, c + cs);
        wr = twr[s + i];
        wi = twi[s + i];
        y2r.mul(wr).sub(y2i.mul(wi)).intoArray(re, c + 2 * cs);
        y2r.mul(wi).add(y2i.mul(wr)).intoArray(im, c + 2 * cs);
        wr = twr[2 * s + i];
        wi = twi[2 * s + i];
        y3r.mul(wr).sub(y3i.mul(wi)).intoArray(re, c + 3 * cs);
        y3r.mul(wi).add(y3i.mul(wr)).intoArray(im, c + 3 * cs);
      }
    }
  }

  private static void plain2(double[] re, double[] im, int off, int blocks, int m) {
    int s = m / 2;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      int c = b * L;
      DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
      DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
      DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
      DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
      DoubleVector y0r = x0r.add(x1r);
      DoubleVector y0i = x0i.add(x1i);
      DoubleVector y1r = x0r.sub(x1r);
      DoubleVector y1i = x0i.sub(x1i);
      y0r.intoArray(re, c);
      y0i.intoArray(im, c);
      y1r.intoArray(re, c + cs);
      y1i.intoArray(im, c + cs);
    }
  }

  private static void twiddled2(double[] re, double[] im, int off, int blocks, int m, double[] twr, double[] twi) {
    int s = m / 2;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      for (int i = 1; i < s; i++) {
        int c = (b + i) * L;
        DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
        DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
        DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
        DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
        DoubleVector y0r = x0r.add(x1r);
        DoubleVector y0i = x0i.add(x1i);
        DoubleVector y1r = x0r.sub(x1r);
        DoubleVector y1i = x0i.sub(x1i);
        double wr;
        double wi;
        y0r.intoArray(re, c);
        y0i.intoArray(im, c);
        wr = twr[i];
        wi = twi[i];
        y1r.mul(wr).sub(y1i.mul(wi)).intoArray(re, c + cs);
        y1r.mul(wi).add(y1i.mul(wr)).intoArray(im, c + cs);
      }
    }
  }

  private static void plain3(double[] re, double[] im, int off, int blocks, int m) {
    int s = m / 3;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      int c = b * L;
      DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
      DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
      DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
      DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
      DoubleVector x2r = DoubleVector.fromArray(SPECIES, re, c + 2 * cs);
      DoubleVector x2i = DoubleVector.fromArray(SPECIES, im, c + 2 * cs);
      DoubleVector t1r = x1r.add(x2r);
      DoubleVector t1i = x1i.add(x2i);
      DoubleVector t2r = x1r.sub(x2r);
      DoubleVector t2i = x1i.sub(x2i);
      DoubleVector y0r = x0r.add(t1r);
      DoubleVector y0i = x0i.add(t1i);
      DoubleVector car = x0r.add(t1r.mul(-0.5));
      DoubleVector cai = x0i.add(t1i.mul(-0.5));
      DoubleVector cbr = t2i.mul(SIN60); // (-i sin 60) t2
      DoubleVector cbi = t2r.mul(-SIN60);
      DoubleVector y1r = car.add(cbr);
      DoubleVector y1i = cai.add(cbi);
      DoubleVector y2r = car.sub(cbr);
      DoubleVector y2i = cai.sub(cbi);
      y0r.intoArray(re, c);
      y0i.intoArray(im, c);
      y1r.intoArray(re, c + cs);
      y1i.intoArray(im, c + cs);
      y2r.intoArray(re, c + 2 * cs);
      y2i.intoArray(im, c + 2 * cs);
    }
  }

  private static void twiddled3(double[] re, double[] im, int off, int blocks, int m, double[] twr, double[] twi) {
    int s = m / 3;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      for (int i = 1; i < s; i++) {
        int c = (b + i) * L;
        DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
        DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
        DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
        DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
        DoubleVector x2r = DoubleVector.fromArray(SPECIES, re, c + 2 * cs);
        DoubleVector x2i = DoubleVector.fromArray(SPECIES, im, c + 2 * cs);
        DoubleVector t1r = x1r.add(x2r);
        DoubleVector t1i = x1i.add(x2i);
        DoubleVector t2r = x1r.sub(x2r);
        DoubleVector t2i = x1i.sub(x2i);
        DoubleVector y0r = x0r.add(t1r);
        DoubleVector y0i = x0i.add(t1i);
        DoubleVector car = x0r.add(t1r.mul(-0.5));
        DoubleVector cai = x0i.add(t1i.mul(-0.5));
        DoubleVector cbr = t2i.mul(SIN60); // (-i sin 60) t2
        DoubleVector cbi = t2r.mul(-SIN60);
        DoubleVector y1r = car.add(cbr);
        DoubleVector y1i = cai.add(cbi);
        DoubleVector y2r = car.sub(cbr);
        DoubleVector y2i = cai.sub(cbi);
        double wr;
        double wi;
        y0r.intoArray(re, c);
        y0i.intoArray(im, c);
        wr = twr[i];
        wi = twi[i];
        y1r.mul(wr).sub(y1i.mul(wi)).intoArray(re, c + cs);
        y1r.mul(wi).add(y1i.mul(wr)).intoArray(im, c + cs);
        wr = twr[s + i];
        wi = twi[s + i];
        y2r.mul(wr).sub(y2i.mul(wi)).intoArray(re, c + 2 * cs);
        y2r.mul(wi).add(y2i.mul(wr)).intoArray(im, c + 2 * cs);
      }
    }
  }

  private static void plain5(double[] re, double[] im, int off, int blocks, int m) {
    int s = m / 5;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      int c = b * L;
      DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
      DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
      DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
      DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
      DoubleVector x4r = DoubleVector.fromArray(SPECIES, re, c + 4 * cs);
      DoubleVector x4i = DoubleVector.fromArray(SPECIES, im, c + 4 * cs);
      DoubleVector t1r = x1r.add(x4r);
      DoubleVector t1i = x1i.add(x4i);
      DoubleVector t4r = x1r.sub(x4r);
      DoubleVector t4i = x1i.sub(x4i);
      DoubleVector x2r = DoubleVector.fromArray(SPECIES, re, c + 2 * cs);
      DoubleVector x2i = DoubleVector.fromArray(SPECIES, im, c + 2 * cs);
      DoubleVector x3r = DoubleVector.fromArray(SPECIES, re, c + 3 * cs);
      DoubleVector x3i = DoubleVector.fromArray(SPECIES, im, c + 3 * cs);
      DoubleVector t2r = x2r.add(x3r);
      DoubleVector t2i = x2i.add(x3i);
      DoubleVector t3r = x2r.sub(x3r);
      DoubleVector t3i = x2i.sub(x3i);
      DoubleVector y0r = x0r.add(t1r).add(t2r);
      DoubleVector y0i = x0i.add(t1i).add(t2i);
      y0r.intoArray(re, c);
      y0i.intoArray(im, c);
      // outputs 1, 4: t0 + cos72 t1 + cos144 t2 +- i (-sin72 t4 - sin144 t3)
      DoubleVector car = x0r.add(t1r.mul(C72)).add(t2r.mul(C144));
      DoubleVector cai = x0i.add(t1i.mul(C72)).add(t2i.mul(C144));
      DoubleVector cbi = t4r.mul(-S72).add(t3r.mul(-S144));
      DoubleVector cbr = t4i.mul(-S72).add(t3i.mul(-S144)).neg();
      DoubleVector yr = car.add(cbr);
      DoubleVector yi = cai.add(cbi);
      yr.intoArray(re, c + cs);
      yi.intoArray(im, c + cs);
      yr = car.sub(cbr);
      yi = cai.sub(cbi);
      yr.intoArray(re, c + 4 * cs);
      yi.intoArray(im, c + 4 * cs);
      // outputs 2, 3: t0 + cos144 t1 + cos72 t2 +- i (-sin144 t4 + sin72 t3)
      car = x0r.add(t1r.mul(C144)).add(t2r.mul(C72));
      cai = x0i.add(t1i.mul(C144)).add(t2i.mul(C72));
      cbi = t4r.mul(-S144).add(t3r.mul(S72));
      cbr = t4i.mul(-S144).add(t3i.mul(S72)).neg();
      yr = car.add(cbr);
      yi = cai.add(cbi);
      yr.intoArray(re, c + 2 * cs);
      yi.intoArray(im, c + 2 * cs);
      yr = car.sub(cbr);
      yi = cai.sub(cbi);
      yr.intoArray(re, c + 3 * cs);
      yi.intoArray(im, c + 3 * cs);
    }
  }

  private static void twiddled5(double[] re, double[] im, int off, int blocks, int m, double[] twr, double[] twi) {
    int s = m / 5;
    int cs = s * L;
    for (int b = off; b < off + blocks * m; b += m) {
      for (int i = 1; i < s; i++) {
        int c = (b + i) * L;
        DoubleVector x0r = DoubleVector.fromArray(SPECIES, re, c);
        DoubleVector x0i = DoubleVector.fromArray(SPECIES, im, c);
        DoubleVector x1r = DoubleVector.fromArray(SPECIES, re, c + cs);
        DoubleVector x1i = DoubleVector.fromArray(SPECIES, im, c + cs);
        DoubleVector x4r = DoubleVector.fromArray(SPECIES, re, c + 4 * cs);
        DoubleVector x4i = DoubleVector.fromArray(SPECIES, im, c + 4 * cs);
        DoubleVector t1r = x1r.add(x4r);
        DoubleVector t1i = x1i.add(x4i);
        DoubleVector t4r = x1r.sub(x4r);
        DoubleVector t4i = x1i.sub(x4i);
        DoubleVector x2r = DoubleVector.fromArray(SPECIES, re, c + 2 * cs);
        DoubleVector x2i = DoubleVector.fromArray(SPECIES, im, c + 2 * cs);
        DoubleVector x3r = DoubleVector.fromArray(SPECIES, re, c + 3 * cs);
        DoubleVector x3i = DoubleVector.fromArray(SPECIES, im, c + 3 * cs);
        DoubleVector t2r = x2r.add(x3r);
        DoubleVector t2i = x2i.add(x3i);
        DoubleVector t3r = x2r.sub(x3r);
        DoubleVector t3i = x2i.sub(x3i);
        DoubleVector y0r = x0r.add(t1r).add(t2r);
        DoubleVector y0i = x0i.add(t1i).add(t2i);
        double wr;
        double wi;
        y0r.intoArray(re, c);
        y0i.intoArray(im, c);
        // outputs 1, 4: t0 + cos72 t1 + cos144 t2 +- i (-sin72 t4 - sin144 t3)
        DoubleVector car = x0r.add(t1r.mul(C72)).add(t2r.mul(C144));
        DoubleVector cai = x0i.add(t1i.mul(C72)).add(t2i.mul(C144));
        DoubleVector cbi = t4r.mul(-S72).add(t3r.mul(-S144));
        DoubleVector cbr = t4i.mul(-S72).add(t3i.mul(-S144)).neg();
        DoubleVector yr = car.add(cbr);
        DoubleVector yi = cai.add(cbi);
        wr = twr[i];
        wi = twi[i];
        yr.mul(wr).sub(yi.mul(wi)).intoArray(re, c + cs);
        yr.mul(wi).add(yi.mul(wr)).intoArray(im, c + cs);
        yr = car.sub(cbr);
        yi = cai.sub(cbi);
        wr = twr[3 * s + i];
        wi = twi[3 * s + i];
        yr.mul(wr).sub(yi.mul(wi)).intoArray(re, c + 4 * cs);
        yr.mul(wi).add(yi.mul(wr)).intoArray(im, c + 4 * cs);
        // outputs 2, 3: t0 + cos144 t1 + cos72 t2 +- i (-sin144 t4 + sin72 t3)
        car = x0r.add(t1r.mul(C144)).add(t2r.mul(C72));
        cai = x0i.add(t1i.mul(C144)).add(t2i.mul(C72));
        cbi = t4r.mul(-S144).add(t3r.mul(S72));
        cbr = t4i.mul(-S144).add(t3i.mul(S72)).neg();
        yr = car.add(cbr);
        yi = cai.add(cbi);
        wr = twr[s + i];
        wi = twi[s + i];
        yr.mul(wr).sub(yi.mul(wi)).intoArray(re, c + 2 * cs);
        yr.mul(wi).add(yi.mul(wr)).intoArray(im, c + 2 * cs);
        yr = car.sub(cbr);
        yi = cai.sub(cbi);
        wr = twr[2 * s + i];
        wi = twi[2 * s + i];
        yr.mul(wr).sub(yi.mul(wi)).intoArray(re, c + 3 * cs);
        yr.mul(wi).add(yi.mul(wr)).intoArray(im, c + 3 * cs);
      }
    }
  }

  /**
   * Any odd radix p as a direct p-point DFT, the inputs re-read per output (p is small here: 7).
   * {@code rootR/rootI[q]} is e^(-2 pi i q / p). Out of place into nothing: the p outputs of a
   * butterfly are computed before any is stored, through {@code (yr, yi)} (p lanes-wide slots).
   */
  private static void passOdd(int p, double[] re, double[] im, int off, int blocks, int m, double[] twr, double[] twi,
      double[] rootR, double[] rootI) {
    int s = m / p;
    int cs = s * L;
    double[] yr = new double[p * L];
    double[] yi = new double[p * L];
    for (int b = off; b < off + blocks * m; b += m) {
      for (int i = 0; i < s; i++) {
        int c = (b + i) * L;
        for (int u = 0; u < p; u++) {
          DoubleVector accR = DoubleVector.fromArray(SPECIES, re, c);
          DoubleVector accI = DoubleVector.fromArray(SPECIES, im, c);
          for (int q = 1; q < p; q++) {
            double wr = rootR[u * q % p];
            double wi = rootI[u * q % p];
            DoubleVector xr = DoubleVector.fromArray(SPECIES, re, c + q * cs);
            DoubleVector xi = DoubleVector.fromArray(SPECIES, im, c + q * cs);
            accR = accR.add(xr.mul(wr).sub(xi.mul(wi)));
            accI = accI.add(xr.mul(wi).add(xi.mul(wr)));
          }
          if (i == 0 || u == 0) {
            accR.intoArray(yr, u * L);
            accI.intoArray(yi, u * L);
          } else {
            double wr = twr[(u - 1) * s + i];
            double wi = twi[(u - 1) * s + i];
            accR.mul(wr).sub(accI.mul(wi)).intoArray(yr, u * L);
            accR.mul(wi).add(accI.mul(wr)).intoArray(yi, u * L);
          }
        }
        for (int u = 0; u < p; u++) {
          System.arraycopy(yr, u * L, re, c + u * cs, L);
          System.arraycopy(yi, u * L, im, c + u * cs, L);
        }
      }
    }
  }
}

/**
 * Measures of how good generated images are, computed offline with a small classifier trained
 * by wgan itself (the "judge", one per built-in dataset, shipped in the jar): the Fréchet
 * distance and KID between the judge's penultimate features of samples and of held-out test
 * images, the share of samples of a class and the judge's confidence, the class coverage and a
 * diversity figure. docs/quality.md says what each number means and its limits.
 */
package wgan.quality;

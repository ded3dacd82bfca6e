/**
 * Reverse-mode automatic differentiation with exact double backprop.
 *
 * <ul>
 *   <li>{@link wgan.autodiff.Var}: a node (value, parents, backward rule). Leaves are parameters
 *       ({@code Var.param}) or constants ({@code Var.constant}).</li>
 *   <li>{@link wgan.autodiff.Ops}: the ops. A primitive computes its value with the kernels and
 *       records a {@link wgan.autodiff.Var.Backward} rule written with {@code Ops} themselves,
 *       e.g. tanh's {@code g * (1 - y^2)} uses its output Var y. Because the gradient is built
 *       from recorded ops, it can be differentiated again. Composite ops (sub, square, div,
 *       rsqrt, mean, mulPerSample, relu) need no rule. A rule may compute with fused kernels
 *       when {@link wgan.autodiff.Grad#isRecording()} is false (the training path), provided it
 *       returns the same gradients from recorded ops when it is true: {@code batchNorm} does.</li>
 *   <li>{@link wgan.autodiff.Grad}: {@code grad(y, wrt, createGraph)} returns gradients as Vars
 *       (recorded when createGraph, so a gradient penalty can be differentiated);
 *       {@code backward(loss)} is the training path, accumulating into {@code Var.grad()} of
 *       every parameter without recording; {@code noGrad()} turns recording off for a block.</li>
 * </ul>
 *
 * <p>Nothing is recorded when recording is off or when no input requires a gradient: such ops
 * return constants that keep no parents. Backward rules are asked only for the parents that lead
 * to a wanted gradient (the {@code needed} flags), so e.g. the gradient penalty's input gradient
 * computes no weight gradients.
 *
 * <p>Piecewise-linear functions (ReLU, leaky ReLU) differentiate to a multiplication by a
 * constant slope mask, which is exact to every order almost everywhere.
 */
package wgan.autodiff;

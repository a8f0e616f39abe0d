// The fused GELU-GLU, cross-entropy and LayerNorm (alone or of a residual sum) as autograd
// functions: on CUDA tensors of CUDA builds their forward and backward passes launch the kernels of
// cuda/fused_kernels.cu; elsewhere they compute the same function with torch operations.
#include "dac/model/fused_ops.hpp"

#include <torch/torch.h>

#include <stdexcept>
#include <string>
#include <tuple>

#include "dac/model/autocast_state.hpp"

#if DAC_FUSED_CUDA_KERNELS
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "../cuda/fused_kernels.hpp"
#endif

namespace dac::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The precision the formulas are evaluated in: float64 stays, everything else is float32.
torch::ScalarType compute_type(const torch::Tensor& t) {
  return t.scalar_type() == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
}

#if DAC_FUSED_CUDA_KERNELS
bool runs_kernels(const torch::Tensor& t) {
  const auto type = t.scalar_type();
  return t.is_cuda() &&
         (type == torch::kFloat32 || type == torch::kBFloat16 || type == torch::kFloat16);
}

cuda::ElementType element_type(const torch::Tensor& t) {
  switch (t.scalar_type()) {
    case torch::kBFloat16:
      return cuda::ElementType::BFloat16;
    case torch::kFloat16:
      return cuda::ElementType::Float16;
    default:
      return cuda::ElementType::Float32;
  }
}

void* current_stream(const torch::Tensor& t) {
  return c10::cuda::getCurrentCUDAStream(t.device().index()).stream();
}

void check_launch(const char* error, const char* kernel) {
  if (error != nullptr)
    throw std::runtime_error(std::string(kernel) + ": CUDA kernel launch failed: " + error);
}
#endif

// The unfused form: torch's GELU and product on the two halves.
torch::Tensor composed_gelu_glu(const torch::Tensor& projected) {
  const std::vector<torch::Tensor> halves = projected.chunk(2, -1);
  return torch::gelu(halves[1]) * halves[0];
}

// Rows of a tensor seen as [rows, last dimension].
std::int64_t rows_of(const torch::Tensor& t) {
  const std::int64_t width = t.size(-1);
  return width == 0 ? 0 : t.numel() / width;
}

// Targets with ignored rows pointing at class 0, and which rows count.
struct CountedTargets {
  torch::Tensor safe, counted;
};

CountedTargets counted_targets(const torch::Tensor& targets, std::int64_t ignore_index) {
  const torch::Tensor counted = targets.ne(ignore_index);
  return {torch::where(counted, targets, torch::zeros_like(targets)), counted};
}

torch::Tensor gelu_glu_forward(const torch::Tensor& projected) {
#if DAC_FUSED_CUDA_KERNELS
  if (runs_kernels(projected)) {
    const c10::cuda::CUDAGuard guard(projected.device());
    const std::int64_t half = projected.size(-1) / 2;
    std::vector<std::int64_t> sizes = projected.sizes().vec();
    sizes.back() = half;
    torch::Tensor out = torch::empty(sizes, projected.options());
    check_launch(
        cuda::gelu_glu_forward(element_type(projected), projected.data_ptr(), out.data_ptr(),
                               rows_of(projected), half, current_stream(projected)),
        "gelu_glu forward");
    return out;
  }
#endif
  return composed_gelu_glu(projected);
}

// d/dx of gelu(g) * x and d/dg, side by side as [..., 2h].
torch::Tensor gelu_glu_backward(const torch::Tensor& grad_out, const torch::Tensor& projected) {
#if DAC_FUSED_CUDA_KERNELS
  if (runs_kernels(projected) && grad_out.scalar_type() == projected.scalar_type()) {
    const c10::cuda::CUDAGuard guard(projected.device());
    torch::Tensor grad_in = torch::empty_like(projected);
    check_launch(
        cuda::gelu_glu_backward(element_type(projected), grad_out.data_ptr(), projected.data_ptr(),
                                grad_in.data_ptr(), rows_of(projected), projected.size(-1) / 2,
                                current_stream(projected)),
        "gelu_glu backward");
    return grad_in;
  }
#endif
  // d/dx = dy·gelu(g); d/dg = dy·x·gelu'(g), which torch's own GELU backward computes in one pass.
  const torch::ScalarType type = compute_type(projected);
  const std::vector<torch::Tensor> halves = projected.chunk(2, -1);
  const torch::Tensor x = halves[0].to(type);
  const torch::Tensor g = halves[1].to(type);
  const torch::Tensor dy = grad_out.to(type);
  const torch::Tensor dx = dy * torch::gelu(g);
  const torch::Tensor dg = at::gelu_backward(dy * x, g);
  return torch::cat({dx, dg}, -1).to(projected.scalar_type());
}

struct GeluGluFunction : public torch::autograd::Function<GeluGluFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& projected) {
    ctx->save_for_backward({projected});
    return gelu_glu_forward(projected);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    if (!grads[0].defined()) return {torch::Tensor()};
    const torch::Tensor projected = ctx->get_saved_variables()[0];
    return {gelu_glu_backward(grads[0].contiguous(), projected)};
  }
};

// Per row: the loss (0 on ignored rows), in compute_type, and the log-sum-exp of the logits that
// the kernels' backward pass reads (undefined where the torch form ran: its backward recomputes
// the softmax).
struct RowLosses {
  torch::Tensor lse, loss;
};

RowLosses cross_entropy_rows(const torch::Tensor& logits, const torch::Tensor& targets,
                             std::int64_t ignore_index) {
#if DAC_FUSED_CUDA_KERNELS
  if (runs_kernels(logits) && targets.is_cuda() && targets.scalar_type() == torch::kInt64) {
    const c10::cuda::CUDAGuard guard(logits.device());
    const auto options = logits.options().dtype(torch::kFloat32);
    RowLosses rows{torch::empty({logits.size(0)}, options),
                   torch::empty({logits.size(0)}, options)};
    check_launch(cuda::cross_entropy_forward(
                     element_type(logits), logits.data_ptr(), targets.data_ptr<std::int64_t>(),
                     rows.lse.data_ptr<float>(), rows.loss.data_ptr<float>(), logits.size(0),
                     logits.size(1), ignore_index, current_stream(logits)),
                 "cross_entropy forward");
    return rows;
  }
#endif
  // One log-softmax pass: the loss is minus its value at the target.
  const auto [safe, counted] = counted_targets(targets, ignore_index);
  const torch::Tensor log_probs = torch::log_softmax(logits.to(compute_type(logits)), 1);
  const torch::Tensor picked = log_probs.gather(1, safe.unsqueeze(1)).squeeze(1);
  return {torch::Tensor(), torch::where(counted, -picked, torch::zeros_like(picked))};
}

// The gradient of the loss sum times scale [1]: (softmax - one-hot) · scale, 0 on ignored rows.
torch::Tensor cross_entropy_grad(const torch::Tensor& logits, const torch::Tensor& targets,
                                 const torch::Tensor& lse, const torch::Tensor& scale,
                                 std::int64_t ignore_index) {
#if DAC_FUSED_CUDA_KERNELS
  if (runs_kernels(logits) && targets.is_cuda() && targets.scalar_type() == torch::kInt64 &&
      lse.defined() && lse.scalar_type() == torch::kFloat32) {
    const c10::cuda::CUDAGuard guard(logits.device());
    torch::Tensor grad = torch::empty_like(logits);
    const torch::Tensor scale32 = scale.to(torch::kFloat32).contiguous();
    check_launch(cuda::cross_entropy_backward(
                     element_type(logits), logits.data_ptr(), targets.data_ptr<std::int64_t>(),
                     lse.data_ptr<float>(), scale32.data_ptr<float>(), grad.data_ptr(),
                     logits.size(0), logits.size(1), ignore_index, current_stream(logits)),
                 "cross_entropy backward");
    return grad;
  }
#endif
  // torch's softmax in one pass, 1 taken off at each target, then a factor per row.
  const auto [safe, counted] = counted_targets(targets, ignore_index);
  torch::Tensor grad = torch::softmax(logits.to(compute_type(logits)), 1);
  const torch::Tensor at_target = safe.unsqueeze(1);
  grad.scatter_add_(1, at_target, torch::full(at_target.sizes(), -1.0, grad.options()));
  grad.mul_((scale.to(grad.scalar_type()) * counted.to(grad.scalar_type())).unsqueeze(1));
  return grad.to(logits.scalar_type());
}

struct CrossEntropyFunction : public torch::autograd::Function<CrossEntropyFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& logits,
                               const torch::Tensor& targets, std::int64_t ignore_index) {
    const RowLosses rows = cross_entropy_rows(logits, targets, ignore_index);
    const torch::Tensor counted = targets.ne(ignore_index).sum().to(rows.loss.scalar_type());
    ctx->save_for_backward({logits, targets, rows.lse, counted});
    ctx->saved_data["ignore_index"] = ignore_index;
    return rows.loss.sum() / counted;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    if (!grads[0].defined()) return {torch::Tensor(), torch::Tensor(), torch::Tensor()};
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor scale = (grads[0].to(saved[3].scalar_type()) / saved[3]).reshape({1});
    const std::int64_t ignore_index = ctx->saved_data["ignore_index"].toInt();
    return {cross_entropy_grad(saved[0], saved[1], saved[2], scale, ignore_index), torch::Tensor(),
            torch::Tensor()};
  }
};

// The type a LayerNorm of x is written in: CUDA autocast's type when it is on, x's otherwise.
torch::ScalarType norm_output_type(const torch::Tensor& x) {
  if (!x.is_cuda()) return x.scalar_type();
  const CudaAutocast autocast = cuda_autocast();
  return autocast.enabled ? autocast.dtype : x.scalar_type();
}

// The row normalised (x, or x + addend when the addend is defined, in x's type), its LayerNorm y
// in `type`, and the row statistics torch's LayerNorm backward reads ([..., 1], float32 for a
// float32 x).
struct NormRows {
  torch::Tensor sum, y, mean, rstd;
};

NormRows layer_norm_rows(const torch::Tensor& x, const torch::Tensor& addend,
                         const torch::Tensor& weight, const torch::Tensor& bias, double eps,
                         torch::ScalarType type) {
  const std::int64_t width = x.size(-1);
  const bool adds = addend.defined();
#if DAC_FUSED_CUDA_KERNELS
  const bool float32 = x.scalar_type() == torch::kFloat32 &&
                       weight.scalar_type() == torch::kFloat32 &&
                       bias.scalar_type() == torch::kFloat32;
  const bool addend_fits =
      !adds || (addend.is_cuda() && addend.scalar_type() == type && addend.sizes() == x.sizes());
  if (float32 && addend_fits && runs_kernels(x) && weight.is_cuda() && bias.is_cuda() &&
      (type == torch::kFloat32 || type == torch::kBFloat16 || type == torch::kFloat16)) {
    const c10::cuda::CUDAGuard guard(x.device());
    const torch::Tensor w = weight.contiguous(), b = bias.contiguous();
    const torch::Tensor extra = adds ? addend.contiguous() : torch::Tensor();
    NormRows rows;
    rows.sum = adds ? torch::empty_like(x) : x;
    rows.y = torch::empty(x.sizes(), x.options().dtype(type));
    std::vector<std::int64_t> stat_sizes = x.sizes().vec();
    stat_sizes.back() = 1;
    rows.mean = torch::empty(stat_sizes, x.options());
    rows.rstd = torch::empty(stat_sizes, x.options());
    check_launch(cuda::layer_norm_forward(
                     element_type(rows.y), x.data_ptr<float>(), adds ? extra.data_ptr() : nullptr,
                     adds ? rows.sum.data_ptr<float>() : nullptr, w.data_ptr<float>(),
                     b.data_ptr<float>(), rows.y.data_ptr(), rows.mean.data_ptr<float>(),
                     rows.rstd.data_ptr<float>(), rows_of(x), width, eps, current_stream(x)),
                 "layer_norm forward");
    return rows;
  }
#endif
  const torch::Tensor sum = adds ? x + addend : x;
  auto [y, mean, rstd] = at::native_layer_norm(sum, {width}, weight, bias, eps);
  return {sum, y.to(type), mean, rstd};
}

// The gradients of x, weight and bias given grad_y (any floating type) and the forward pass's row
// statistics: with x̂ = (x - mean)·rstd and g = grad_y·weight,
// grad_x = rstd·(g - mean(g) - x̂·mean(g·x̂)), grad_weight = Σ grad_y·x̂, grad_bias = Σ grad_y.
// grad_residual, when defined, is the gradient x gets by other paths, added into grad_x.
std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> layer_norm_backward(
    const torch::Tensor& grad_y, const torch::Tensor& x, const torch::Tensor& weight,
    const torch::Tensor& mean, const torch::Tensor& rstd, const torch::Tensor& grad_residual) {
  const std::int64_t width = x.size(-1);
  const std::int64_t rows = rows_of(x);
#if DAC_FUSED_CUDA_KERNELS
  const bool residual_fits =
      !grad_residual.defined() ||
      (grad_residual.is_cuda() && grad_residual.scalar_type() == torch::kFloat32);
  if (runs_kernels(grad_y) && x.is_cuda() && x.scalar_type() == torch::kFloat32 &&
      weight.scalar_type() == torch::kFloat32 && mean.scalar_type() == torch::kFloat32 &&
      rstd.scalar_type() == torch::kFloat32 && residual_fits &&
      width <= cuda::kMaxLayerNormBackwardWidth) {
    const c10::cuda::CUDAGuard guard(x.device());
    const torch::Tensor w = weight.contiguous();
    const torch::Tensor passed =
        grad_residual.defined() ? grad_residual.contiguous() : torch::Tensor();
    torch::Tensor grad_x = torch::empty_like(x);
    const auto options = x.options();
    const std::int64_t blocks = cuda::layer_norm_backward_blocks(rows);
    torch::Tensor partial_weight = torch::empty({blocks, width}, options);
    torch::Tensor partial_bias = torch::empty({blocks, width}, options);
    check_launch(
        cuda::layer_norm_backward(element_type(grad_y), grad_y.data_ptr(), x.data_ptr<float>(),
                                  w.data_ptr<float>(), mean.contiguous().data_ptr<float>(),
                                  rstd.contiguous().data_ptr<float>(),
                                  passed.defined() ? passed.data_ptr<float>() : nullptr,
                                  grad_x.data_ptr<float>(), partial_weight.data_ptr<float>(),
                                  partial_bias.data_ptr<float>(), rows, width, current_stream(x)),
        "layer_norm backward");
    return {grad_x, partial_weight.sum(0), partial_bias.sum(0)};
  }
#endif
  // Torch's own LayerNorm backward computes grad_x and grad_weight from the same statistics.
  const torch::Tensor dy = grad_y.to(x.scalar_type());
  auto [grad_x, grad_weight, no_bias] = at::native_layer_norm_backward(
      dy, x, {width}, mean, rstd, weight.to(x.scalar_type()), c10::nullopt, {true, true, false});
  if (grad_residual.defined()) grad_x.add_(grad_residual.to(grad_x.scalar_type()));
  return {grad_x, grad_weight, dy.reshape({rows, width}).sum(0)};
}

struct LayerNormFunction : public torch::autograd::Function<LayerNormFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& weight, const torch::Tensor& bias, double eps,
                               torch::ScalarType type) {
    const NormRows rows = layer_norm_rows(x, torch::Tensor(), weight, bias, eps, type);
    ctx->save_for_backward({x, weight, rows.mean, rows.rstd});
    return rows.y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    if (!grads[0].defined()) return variable_list(5);
    const variable_list saved = ctx->get_saved_variables();
    auto [grad_x, grad_weight, grad_bias] = layer_norm_backward(
        grads[0].contiguous(), saved[0], saved[1], saved[2], saved[3], torch::Tensor());
    return {grad_x, grad_weight, grad_bias, torch::Tensor(), torch::Tensor()};
  }
};

// Outputs {x + addend, LayerNorm(x + addend)}. Backward: the sum's gradient from its other uses
// (the residual stream) joins the LayerNorm's gradient of it in the same pass; x and the addend
// both get the total (autograd casts it to the addend's type).
struct AddLayerNormFunction : public torch::autograd::Function<AddLayerNormFunction> {
  static variable_list forward(AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& addend, const torch::Tensor& weight,
                               const torch::Tensor& bias, double eps, torch::ScalarType type) {
    const NormRows rows = layer_norm_rows(x, addend, weight, bias, eps, type);
    ctx->save_for_backward({rows.sum, weight, rows.mean, rows.rstd});
    ctx->set_materialize_grads(false);
    return {rows.sum, rows.y};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const torch::Tensor& grad_sum = grads[0];
    const torch::Tensor& grad_y = grads[1];
    torch::Tensor total, grad_weight, grad_bias;
    if (grad_y.defined()) {
      const variable_list saved = ctx->get_saved_variables();
      std::tie(total, grad_weight, grad_bias) =
          layer_norm_backward(grad_y.contiguous(), saved[0], saved[1], saved[2], saved[3],
                              grad_sum.defined() ? grad_sum.contiguous() : torch::Tensor());
    } else {
      total = grad_sum;
    }
    return {total, total, grad_weight, grad_bias, torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor layer_norm(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias, double eps, bool fused) {
  if (!fused || !weight.defined() || !bias.defined())
    return torch::layer_norm(x, {x.size(-1)}, weight, bias, eps);
  return LayerNormFunction::apply(x.contiguous(), weight, bias, eps, norm_output_type(x));
}

NormedSum add_layer_norm(const torch::Tensor& x, const torch::Tensor& addend,
                         const torch::Tensor& weight, const torch::Tensor& bias, double eps,
                         bool fused) {
  if (!addend.defined()) return {x, layer_norm(x, weight, bias, eps, fused)};
  if (!fused || !weight.defined() || !bias.defined() || addend.sizes() != x.sizes()) {
    const torch::Tensor sum = x + addend;
    return {sum, layer_norm(sum, weight, bias, eps, fused)};
  }
  const variable_list outputs = AddLayerNormFunction::apply(x.contiguous(), addend.contiguous(),
                                                            weight, bias, eps, norm_output_type(x));
  return {outputs[0], outputs[1]};
}

torch::Tensor gelu_glu(const torch::Tensor& projected, bool fused) {
  if (projected.dim() == 0 || projected.size(-1) % 2 != 0)
    throw std::invalid_argument("gelu_glu: the last dimension must have an even size, got " +
                                std::to_string(projected.dim() == 0 ? 0 : projected.size(-1)));
  return fused ? GeluGluFunction::apply(projected.contiguous()) : composed_gelu_glu(projected);
}

torch::Tensor cross_entropy_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                                 std::int64_t ignore_index, bool fused) {
  torch::Tensor loss;
  if (fused) {
    if (logits.dim() != 2 || targets.dim() != 1 || targets.size(0) != logits.size(0) ||
        logits.size(1) == 0)
      throw std::invalid_argument(
          "cross_entropy_loss: logits must be [n, classes] with classes > 0 and targets [n]");
    loss = CrossEntropyFunction::apply(logits.contiguous(), targets.contiguous(), ignore_index);
  } else {
    namespace F = torch::nn::functional;
    loss =
        F::cross_entropy(logits, targets, F::CrossEntropyFuncOptions().ignore_index(ignore_index));
  }
  return loss.scalar_type() == torch::kFloat64 ? loss : loss.to(torch::kFloat32);
}

bool fused_cuda_kernels_built() {
#if DAC_FUSED_CUDA_KERNELS
  return true;
#else
  return false;
#endif
}

}  // namespace dac::model

"""REINFORCE on a pure-jnp toy environment (the JAX side of engine/.../port/ReinforcePortTest):
a 1-d corridor of 8 cells, 64 episodes of 12 steps rolled out with lax.scan, actions drawn with
jax.random.categorical, discounted returns by a reversed lax.scan, a mean baseline, and the policy
gradient through the rollout scan. optax.chain(clip_by_global_norm(1), adam(5e-3)), 120 steps.

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/port/reinforce.py -o engine/src/test/resources/port/reinforce.json

The step's key is jax.random.fold_in(key(2), step); start cells come from randint, each time
step's action from its own key of split(key, HORIZON). f32; one jitted step.
"""

import jax
import jax.numpy as jnp
import optax

from port_common import checksum, out_path, write

CELLS, EPISODES, HORIZON, HIDDEN = 8, 64, 12, 16
GAMMA, STEPS, LR = 0.9, 120, 5e-3


def init(key):
    k1, k2 = jax.random.split(key)
    glorot = jax.nn.initializers.glorot_uniform()
    return {"hidden": {"w": glorot(k1, (CELLS, HIDDEN)), "b": jnp.zeros(HIDDEN)},
            "out": {"w": glorot(k2, (HIDDEN, 2)), "b": jnp.zeros(2)}}


def policy(params, cell):
    h = jnp.tanh(jax.nn.one_hot(cell, CELLS) @ params["hidden"]["w"] + params["hidden"]["b"])
    return h @ params["out"]["w"] + params["out"]["b"]


def rollout(params, key):
    k_start, k_steps = jax.random.split(key)
    start = jax.random.randint(k_start, (EPISODES,), 0, CELLS - 1)

    def act(cell, k):
        logits = policy(params, cell)
        action = jax.random.categorical(k, logits)                      # 0 left, 1 right
        logp = jnp.take_along_axis(jax.nn.log_softmax(logits), action[:, None], axis=-1)[:, 0]
        cell = jnp.clip(cell + 2 * action - 1, 0, CELLS - 1)
        reward = (cell == CELLS - 1).astype(jnp.float32) - 0.05        # the goal, and a step cost
        return cell, (logp, reward)

    _, (logps, rewards) = jax.lax.scan(act, start, jax.random.split(k_steps, HORIZON))
    return logps, rewards                                               # [HORIZON, EPISODES]


def discounted(rewards):
    def back(ret, r):
        ret = r + GAMMA * ret
        return ret, ret
    _, returns = jax.lax.scan(back, jnp.zeros(EPISODES), rewards, reverse=True)
    return returns


def loss_fn(params, key):
    logps, rewards = rollout(params, key)
    returns = discounted(rewards)
    advantage = jax.lax.stop_gradient(returns - returns.mean(axis=1, keepdims=True))
    return -jnp.mean(jnp.sum(logps * advantage, axis=0)), rewards.sum(axis=0).mean()


def main():
    path = out_path("engine/src/test/resources/port/reinforce.json")
    k_init, k_run = jax.random.split(jax.random.key(2))
    params = init(k_init)
    optimizer = optax.chain(optax.clip_by_global_norm(1.0), optax.adam(LR))
    opt_state = optimizer.init(params)

    @jax.jit
    def step(params, opt_state, i):
        (loss, ret), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, jax.random.fold_in(k_run, i))
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss, ret

    checks = {"init": checksum(params)}
    losses, returns = [], []
    for i in range(STEPS):
        params, opt_state, loss, ret = step(params, opt_state, i)
        losses.append(loss)
        returns.append(float(ret))
    checks["final"] = checksum(params)
    checks["return"] = returns
    write(path, "reinforce", losses, checks)


if __name__ == "__main__":
    main()

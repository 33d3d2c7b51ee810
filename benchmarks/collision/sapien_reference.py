"""PhysX reference for the contact study of docs/collision.md (a one-off, never run by the tests).

Runs the scenarios of `vlaser-perf collision-contacts` in SAPIEN 2.2.2 (the PhysX build SimplerEnv evaluates on) with
SimplerEnv's scene settings and object loading, and prints one JSON line per case. Needs `pip install sapien==2.2.2
"numpy<2"` (CPU physics only, no renderer) and the ManiSkill2_real2sim asset copy:

    python benchmarks/collision/sapien_reference.py ../shared/assets/simpler-meshes > physx.jsonl

Scene settings follow simplerenv-tasks.md §1.1 ([R2S] sapien_env.py `_get_default_scene_config` with MoveNear's
contact offset 0.005): TGS, 25 position / 1 velocity iterations, PCM off, default friction 1.0, restitution 0, 500 Hz.
Objects: `add_multiple_collisions_from_file` with the model database's density, material 0.5/0.5/0, damping 0.1.
"""
import json
import math
import sys

import sapien.core as sapien

ROOT = sys.argv[1]
TABLE_TOP = 0.87
DT = 1 / 500
DENSITY = {"baked_green_cube_3cm": 1000, "baked_yellow_cube_3cm": 1000, "bridge_carrot_generated_modified": 700,
           "bridge_plate_objaverse_larger": 1000, "bridge_spoon_generated_modified": 1200, "eggplant": 400}

engine = sapien.Engine()


def new_scene():
    cfg = sapien.SceneConfig()
    cfg.default_static_friction = 1.0
    cfg.default_dynamic_friction = 1.0
    cfg.default_restitution = 0.0
    cfg.contact_offset = 0.005
    cfg.enable_pcm = False
    cfg.enable_tgs = True
    cfg.solver_iterations = 25
    cfg.solver_velocity_iterations = 1
    scene = engine.create_scene(cfg)
    scene.set_timestep(DT)
    b = scene.create_actor_builder()
    b.add_box_collision(half_size=[0.8, 0.8, 0.05])
    table = b.build_static(name="table")
    table.set_pose(sapien.Pose([-0.3, 0, TABLE_TOP - 0.05]))
    return scene


def add_object(scene, model, pose):
    b = scene.create_actor_builder()
    mat = scene.create_physical_material(0.5, 0.5, 0.0)
    b.add_multiple_collisions_from_file(f"{ROOT}/data/custom/models/{model}/collision.obj", material=mat,
                                        density=DENSITY[model])
    a = b.build(name=model)
    a.set_damping(0.1, 0.1)
    a.set_pose(pose)
    return a


def add_pusher(scene, size, pose):
    """A 10 kg box that moves only along x at a set velocity (a stiff finger)."""
    b = scene.create_actor_builder()
    b.add_box_collision(half_size=[s / 2 for s in size], density=10 / (size[0] * size[1] * size[2]))
    a = b.build(name="pusher")
    a.set_pose(pose)
    a.lock_motion(False, True, True, True, True, True)
    return a


def state(a):
    p = a.get_pose()
    q = p.q  # wxyz
    tilt = math.degrees(math.acos(max(-1.0, min(1.0, 1 - 2 * (q[1] ** 2 + q[2] ** 2)))))
    yaw = math.degrees(math.atan2(2 * (q[0] * q[3] + q[1] * q[2]), 1 - 2 * (q[2] ** 2 + q[3] ** 2)))
    return {"p": [round(float(x), 5) for x in p.p], "tilt": round(tilt, 2), "yaw": round(yaw, 2)}


def steps(scene, seconds, each=None):
    for _ in range(int(round(seconds / DT))):
        if each:
            each()
        scene.step()


def drop_on_cube(h, dx):
    scene = new_scene()
    yellow = add_object(scene, "baked_yellow_cube_3cm", sapien.Pose([0, 0, TABLE_TOP + 0.015]))
    steps(scene, 0.3)
    green = add_object(scene, "baked_green_cube_3cm", sapien.Pose([dx, 0, TABLE_TOP + 0.03 + h + 0.015]))
    y0 = yellow.get_pose().p
    steps(scene, 1.5)
    g, y = green.get_pose().p, yellow.get_pose().p
    stacked = g[2] - y[2] > 0.02 and math.hypot(g[0] - y[0], g[1] - y[1]) <= 0.0242
    return {"green": state(green), "yellow_moved_mm": round(1000 * math.dist(y, y0), 2), "stacked": bool(stacked)}


def release_over_plate(h, dx):
    scene = new_scene()
    plate = add_object(scene, "bridge_plate_objaverse_larger", sapien.Pose([0, 0, TABLE_TOP]))
    steps(scene, 0.3)
    # The carrot's lowest hull point is 0.0178 below its origin (collision.obj bounds).
    carrot = add_object(scene, "bridge_carrot_generated_modified", sapien.Pose([dx, 0, TABLE_TOP + 0.006 + 0.0178 + h]))
    p0 = plate.get_pose().p
    steps(scene, 1.5)
    c, p = carrot.get_pose().p, plate.get_pose().p
    return {"carrot": state(carrot), "plate_moved_mm": round(1000 * math.dist(p, p0), 2),
            "on_plate": bool(math.hypot(c[0] - p[0], c[1] - p[1]) <= 0.0808 and c[2] - p[2] > 0)}


PUSH_SPEED = 0.05


def push(model, z_origin, dy, speed=PUSH_SPEED):
    scene = new_scene()
    obj = add_object(scene, model, sapien.Pose([0, 0, z_origin]))
    steps(scene, 0.3)
    o0 = obj.get_pose().p
    finger = add_pusher(scene, [0.02, 0.016, 0.03], sapien.Pose([-0.09, dy, TABLE_TOP + 0.001 + 0.015]))

    steps(scene, 0.12 / speed, lambda: finger.set_velocity([speed, 0, 0]))
    steps(scene, 0.5, lambda: finger.set_velocity([0, 0, 0]))
    o = obj.get_pose().p
    return {"object": state(obj), "moved_mm": round(1000 * math.dist(o, o0), 2)}


def tumble(model, z_origin, roll_deg):
    scene = new_scene()
    r = math.radians(roll_deg) / 2
    obj = add_object(scene, model, sapien.Pose([0, 0, z_origin], [math.cos(r), math.sin(r), 0, 0]))
    steps(scene, 2.0)
    return {"object": state(obj)}


cases = []
for h in [0.01, 0.03, 0.065, 0.10]:
    for dx in [0.0, 0.005, 0.010, 0.015]:
        cases.append(("drop_on_cube", {"h": h, "dx": dx}, lambda h=h, dx=dx: drop_on_cube(h, dx)))
for h in [0.01, 0.04]:
    for dx in [0.0, 0.02, 0.04]:
        cases.append(("release_over_plate", {"h": h, "dx": dx}, lambda h=h, dx=dx: release_over_plate(h, dx)))
for model, z in [("baked_green_cube_3cm", TABLE_TOP + 0.015), ("bridge_plate_objaverse_larger", TABLE_TOP),
                 ("bridge_carrot_generated_modified", TABLE_TOP + 0.0178), ("bridge_spoon_generated_modified", TABLE_TOP + 0.0117)]:
    for dy in [0.0, 0.01]:
        cases.append(("push", {"model": model, "dy": dy}, lambda m=model, z=z, dy=dy: push(m, z, dy)))
for model, z, roll in [("bridge_spoon_generated_modified", TABLE_TOP + 0.06, 30), ("bridge_carrot_generated_modified", TABLE_TOP + 0.06, 60),
                       ("eggplant", TABLE_TOP + 0.06, 45), ("baked_green_cube_3cm", TABLE_TOP + 0.06, 30)]:
    cases.append(("tumble", {"model": model, "roll": roll}, lambda m=model, z=z, r=roll: tumble(m, z, r)))

for name, params, run in cases:
    print(json.dumps({"case": name, **params, **run()}, sort_keys=True), flush=True)

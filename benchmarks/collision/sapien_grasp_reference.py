"""PhysX reference for the grasp-rig study of docs/collision.md (a one-off, never run by the tests).

A WidowX-like parallel gripper -- two 16 g box pads on prismatic joints (K 1000, D 200, 60 N, closed target
0.014 m; pad geometry of simplerenv-tasks.md §6.1, friction 2.0) on a stiff vertical/horizontal carriage -- grasps an
object resting on the table at points along its long axis, lifts it 10 cm, carries it 10 cm sideways at 0.25 m/s
(the expert's 5 cm per 0.2 s step) and holds it. Prints one JSON line per case: how far the object slipped and
pivoted in the hand and whether it was dropped. `vlaser-perf collision-grasp-rig` runs the same cases in ODE.

    python benchmarks/collision/sapien_grasp_reference.py ../shared/assets/simpler-meshes > physx_grasp.jsonl
"""
import json
import math
import sys

import numpy as np
import sapien.core as sapien

exec(open(__file__.replace("sapien_grasp_reference.py", "sapien_reference.py")).read().split("cases = []")[0])

PAD_HALF = [0.0145, 0.008, 0.02765]     # along the object axis, closing direction, vertical
PAD_ABOVE_TCP = 0.01205                 # pad centre above the TCP (pad spans TCP - 0.0156 .. TCP + 0.0397)
OPEN, CLOSED = 0.037, 0.014


def build_gripper(scene, tcp):
    b = scene.create_articulation_builder()
    root = b.create_link_builder()
    root.set_name("root")
    carriage_x = b.create_link_builder(root)
    carriage_x.set_joint_properties("prismatic", [[-1, 1]], sapien.Pose(tcp), sapien.Pose())
    carriage_x.set_mass_and_inertia(0.5, sapien.Pose(), [1e-3, 1e-3, 1e-3])
    carriage_z = b.create_link_builder(carriage_x)
    carriage_z.set_joint_properties("prismatic", [[-1, 1]], sapien.Pose(q=[0.7071068, 0, -0.7071068, 0]),
                                    sapien.Pose(q=[0.7071068, 0, -0.7071068, 0]))
    carriage_z.set_mass_and_inertia(0.2, sapien.Pose(), [1e-4, 1e-4, 1e-4])
    mat = scene.create_physical_material(2.0, 2.0, 0.0)
    fingers = []
    for side in (1, -1):
        f = b.create_link_builder(carriage_z)
        # Joint frame: x along the closing direction (world ±y); q = distance of the finger link from the centre.
        f.set_joint_properties("prismatic", [[0.015, 0.037]], sapien.Pose(q=[0.7071068, 0, 0, 0.7071068 * side]),
                               sapien.Pose(q=[0.7071068, 0, 0, 0.7071068 * side]))
        # Pad in the finger frame (x = closing direction away from the centre, y = down, z = world -x): inner face
        # at q - 0.011.
        f.add_box_collision(sapien.Pose([-0.003, -PAD_ABOVE_TCP, 0]), [PAD_HALF[1], PAD_HALF[2], PAD_HALF[0]],
                            material=mat, density=0.01625 / (8 * PAD_HALF[0] * PAD_HALF[1] * PAD_HALF[2]),
                            patch_radius=0.01, min_patch_radius=0.0)
        fingers.append(f)
    art = b.build(fix_root_link=True)
    joints = art.get_active_joints()
    for j in joints[:2]:
        j.set_drive_property(1e6, 1e4, 1e5)
    for j in joints[2:]:
        j.set_drive_property(1000, 200, 60)
    art.set_qpos([0, 0, OPEN, OPEN])
    art.set_drive_target([0, 0, OPEN, OPEN])
    return art


def grasp(model, z_origin, x_along):
    scene = new_scene()
    obj = add_object(scene, model, sapien.Pose([0, 0, z_origin]))
    steps(scene, 1.0)
    p = obj.get_pose()
    # The expert's grasp height: the TCP 5.1 mm above the collision-bounds centre (ScriptedExpert tuning).
    tcp = p.to_transformation_matrix()[:3, :3] @ np.array([x_along, 0, 0]) + p.p
    tcp[2] = BOUNDS_CENTRE_Z[model] + p.p[2] + 0.0051
    art = build_gripper(scene, tcp.tolist())
    joints = art.get_active_joints()

    def drive(x, z, q):
        art.set_drive_target([x, z, q, q])
    steps(scene, 0.4, lambda: drive(0, 0, CLOSED))
    t0 = relative(art, obj)
    lift = 0.10
    n = int(1.0 / DT)
    for k in range(n):
        drive(0, lift * (k + 1) / n, CLOSED)
        scene.step()
    t1 = relative(art, obj)
    n = int(0.4 / DT)
    for k in range(n):
        drive(0.10 * (k + 1) / n, lift, CLOSED)
        scene.step()
    steps(scene, 0.5, lambda: drive(0.10, lift, CLOSED))
    t2 = relative(art, obj)
    held = obj.get_pose().p[2] > z_origin + 0.05
    return {"slip_lift_mm": round(1000 * float(np.linalg.norm(t1[0] - t0[0])), 2),
            "pivot_lift_deg": round(angle(t0[1], t1[1]), 2),
            "slip_carry_mm": round(1000 * float(np.linalg.norm(t2[0] - t0[0])), 2),
            "pivot_carry_deg": round(angle(t0[1], t2[1]), 2), "held": bool(held)}


def relative(art, obj):
    g = art.get_links()[2].get_pose()
    rel = g.inv() * obj.get_pose()
    return np.array(rel.p), np.array(rel.q)


def angle(q0, q1):
    d = abs(float(np.dot(q0, q1)))
    return round(math.degrees(2 * math.acos(min(1.0, d))), 2)


# Collision-bounds centre height above the model origin (collision.obj bounds; what the expert aims at).
BOUNDS_CENTRE_Z = {"bridge_spoon_generated_modified": 0.0018, "bridge_carrot_generated_modified": 0.0028,
                   "eggplant": -0.0013}
CASES = [("bridge_spoon_generated_modified", TABLE_TOP + 0.0117, x) for x in (-0.0027, 0.0087, 0.02, 0.04)] + \
        [("bridge_carrot_generated_modified", TABLE_TOP + 0.0178, x) for x in (-0.0050, 0.0068, 0.03)] + \
        [("eggplant", TABLE_TOP + 0.0203, x) for x in (-0.0056, 0.0002, 0.02)]
for model, z, x in CASES:
    print(json.dumps({"case": "grasp", "model": model, "x": x, **grasp(model, z, x)}, sort_keys=True), flush=True)

import Foundation
import VLMath

/// A robot link (an arm's TCP) inside a world-frame box: `success.link` names the link, `success.thresholds` the
/// box (`x_min` … `z_max`, metres). A reaching test for any robot; with `termination: first_success` it latches at
/// the first physics sub-step where it holds.
final class TCPInRegionPredicate: TaskPredicate {
    let link: String
    let low: Vec3, high: Vec3

    init(_ spec: SuccessSpec) throws {
        guard let link = spec.link else {
            throw DataFileError(file: "success", field: "link", message: "is required for \(spec.kind)")
        }
        self.link = link
        low = Vec3(try spec.threshold("x_min"), try spec.threshold("y_min"), try spec.threshold("z_min"))
        high = Vec3(try spec.threshold("x_max"), try spec.threshold("y_max"), try spec.threshold("z_max"))
    }

    func evaluate(_ ep: Episode, contacts: ContactQuery) -> TaskEvaluation {
        var e = TaskEvaluation()
        guard let p = ep.linkPose(link)?.p else { return e }
        let inside = p.x >= low.x && p.x <= high.x && p.y >= low.y && p.y <= high.y && p.z >= low.z && p.z <= high.z
        e.success = inside
        e.taskStats = ["in_region": inside]
        return e
    }
}

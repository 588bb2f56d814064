package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"jianfu/ent"
	"jianfu/ent/attachmentref"
	"jianfu/ent/casefile"
	"jianfu/workflows"
)

// AttachmentUploaded records, with its audit event, that actor stored
// attachment id. Content ids repeat when two people upload the same file:
// each gets a row; the same person uploading it again changes nothing.
func (s *Service) AttachmentUploaded(ctx context.Context, actor workflows.User, id string) error {
	return s.inTx(ctx, func(tx *ent.Tx) error {
		exists, err := tx.AttachmentRef.Query().
			Where(attachmentref.AttachmentID(id), attachmentref.UploadedBy(actor.Username)).Exist(ctx)
		if err != nil {
			return fmt.Errorf("look up upload of attachment %s: %w", id, err)
		}
		if exists {
			return nil
		}
		err = tx.AttachmentRef.Create().SetAttachmentID(id).SetUploadedBy(actor.Username).
			SetCreatedAt(s.now()).Exec(ctx)
		if err != nil {
			return fmt.Errorf("record upload of attachment %s: %w", id, err)
		}
		return s.audit(ctx, tx, actor, auditEntry{kind: "upload_attachment", locality: actor.Locality,
			object: "attachment:" + id})
	})
}

// MayReadAttachment reports whether actor uploaded attachment id or may see
// a case whose submission uses it.
func (s *Service) MayReadAttachment(ctx context.Context, actor workflows.User, id string) (bool, error) {
	refs, err := s.client.AttachmentRef.Query().Where(attachmentref.AttachmentID(id)).All(ctx)
	if err != nil {
		return false, fmt.Errorf("look up attachment %s: %w", id, err)
	}
	var cases []int
	for _, r := range refs {
		if r.UploadedBy != "" && r.UploadedBy == actor.Username {
			return true, nil
		}
		if r.CaseID != nil {
			cases = append(cases, *r.CaseID)
		}
	}
	if len(cases) == 0 {
		return false, nil
	}
	localities, err := s.client.Casefile.Query().Where(casefile.IDIn(cases...)).
		Select(casefile.FieldLocality).Strings(ctx)
	if err != nil {
		return false, fmt.Errorf("cases of attachment %s: %w", id, err)
	}
	for _, l := range localities {
		if s.auth.MaySee(actor.Username, l) {
			return true, nil
		}
	}
	return false, nil
}

// linkAttachments records, in the transaction storing a submission, that
// case caseID uses the attachments ids (forms.Values.AttachmentIDs), so
// whoever may see the case may read them. An id must be one actor uploaded
// or one the case already uses (a draft filed again after a send-back):
// knowing an id, which is in every link to it, must not be enough to read
// it. Most submissions have none and cost nothing here.
func linkAttachments(ctx context.Context, tx *ent.Tx, actor workflows.User, caseID int, ids []string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	known, err := tx.AttachmentRef.Query().Where(attachmentref.AttachmentIDIn(ids...),
		attachmentref.Or(attachmentref.UploadedBy(actor.Username), attachmentref.CaseID(caseID))).
		Select(attachmentref.FieldAttachmentID).Strings(ctx)
	if err != nil {
		return fmt.Errorf("check attachments of case %d: %w", caseID, err)
	}
	for _, id := range ids {
		if !slices.Contains(known, id) {
			return workflows.Errorf(workflows.Invalid, "附件须由本人上传后提交")
		}
	}
	bulk := make([]*ent.AttachmentRefCreate, len(ids))
	for i, id := range ids {
		bulk[i] = tx.AttachmentRef.Create().SetAttachmentID(id).SetCaseID(caseID).SetCreatedAt(now)
	}
	if err := tx.AttachmentRef.CreateBulk(bulk...).Exec(ctx); err != nil {
		return fmt.Errorf("link attachments to case %d: %w", caseID, err)
	}
	return nil
}

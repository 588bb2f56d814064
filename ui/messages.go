package ui

import (
	"fmt"
	"net/http"
)

// User-facing messages that more than one handler shows. Keeping them here
// is the first step towards one message catalog.
const (
	msgInternal          = "系统内部错误，请稍后重试"
	msgNotFound          = "您要找的页面或记录不存在"
	msgMethodNotAllowed  = "不支持该请求方式"
	msgBadRequest        = "请求格式不正确"
	msgBadID             = "编号格式不正确"
	msgLoginRequired     = "请先登录"
	msgLoginFailed       = "用户名或密码错误"
	msgStaleForm         = "页面已过期，请返回重新打开后再提交"
	msgActionGone        = "此操作当前不可办理：案件可能已进入其他环节，或您无权办理此环节"
	msgTaskClosed        = "该任务已办结，无需再次提交"
	msgFormFailed        = "提交未成功，请按提示修改后重新提交"
	msgNoAttachmentStore = "未配置附件存储，暂不能上传附件"
)

// tooLargeMessage names the body limit a request went past.
func tooLargeMessage(limit int64) string {
	return fmt.Sprintf("提交的内容过大（上限 %d MiB）", limit>>20)
}

// failureTitle is the heading of a message page for a status.
func failureTitle(status int) string {
	switch status {
	case http.StatusForbidden:
		return "无权访问" // viewing and acting alike
	case http.StatusNotFound:
		return "未找到"
	case http.StatusConflict:
		return "暂时无法办理"
	case http.StatusUnprocessableEntity:
		return "填写有误"
	case http.StatusRequestEntityTooLarge:
		return "内容过大"
	case http.StatusBadRequest, http.StatusMethodNotAllowed:
		return "请求有误"
	default:
		return "系统错误"
	}
}

// failureAdvice tells the user what to do next.
func failureAdvice(status int) string {
	switch status {
	case http.StatusForbidden:
		return "该内容或操作不在您的职责或辖区范围内。如有疑问，请联系上级管理员。"
	case http.StatusConflict:
		return "案件可能已被他人办理，或尚未满足办理条件。请返回刷新页面后再试。"
	case http.StatusNotFound:
		return "请检查链接是否正确，或返回待办列表。"
	case http.StatusInternalServerError:
		return "请稍后重试；如问题持续，请联系系统管理员。"
	default:
		return ""
	}
}

// Flash keys: a redirect carries a key, never free text, so a crafted
// cookie cannot put words on a page.
const (
	flashSubmitted           = "submitted"
	flashCaseStarted         = "case_started"
	flashHouseholdCreated    = "household_created"
	flashLoggedOut           = "logged_out"
	flashListUploaded        = "list_uploaded"
	flashDefinitionPublished = "definition_published"
	flashDefinitionUnchanged = "definition_unchanged"
)

func flashMessage(key string) string {
	switch key {
	case flashSubmitted:
		return "已提交"
	case flashCaseStarted:
		return "案件已发起"
	case flashHouseholdCreated:
		return "农户已登记"
	case flashLoggedOut:
		return "已退出登录"
	case flashListUploaded:
		return "名单已上传"
	case flashDefinitionPublished:
		return "定义已发布"
	case flashDefinitionUnchanged:
		return "内容与现有的版本相同，未生成新版本"
	default:
		return ""
	}
}

// roleLabel names a role in Chinese.
func roleLabel(role string) string {
	switch role {
	case "village":
		return "村级"
	case "township":
		return "乡镇"
	case "county":
		return "县级"
	case "liaison":
		return "部门联络员"
	case "admin":
		return "管理员"
	default:
		return role
	}
}

// departmentLabel names a department id in Chinese; unknown ids show as
// they are.
func departmentLabel(id string) string {
	switch id {
	case "public_security":
		return "公安"
	case "civil_affairs":
		return "民政"
	case "finance":
		return "财政"
	case "natural_resources":
		return "自然资源"
	case "market_regulation":
		return "市场监管"
	case "tax":
		return "税务"
	case "education":
		return "教育"
	case "housing":
		return "住建"
	case "water":
		return "水利"
	case "health":
		return "卫健"
	case "medical_insurance":
		return "医保"
	case "human_resources":
		return "人社"
	case "disabled_federation":
		return "残联"
	default:
		return id
	}
}

// taskStatusLabel names a task status in Chinese.
func taskStatusLabel(status string) string {
	switch status {
	case "open":
		return "待办"
	case "done":
		return "已办结"
	case "cancelled":
		return "已取消"
	default:
		return status
	}
}

{{/*
Object names. Every object is named after the release (or fullnameOverride): release
"contest" gives contest-web, contest-manager, contest-rank and contest-database, the names
the operator's flags and the sample rounds use by default.
*/}}
{{- define "contest.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Cluster-scoped objects also carry the namespace, so releases in two namespaces never collide. */}}
{{- define "contest.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "contest.fullname" .) -}}
{{- end -}}

{{- define "contest.webName" -}}{{ include "contest.fullname" . }}-web{{- end -}}
{{- define "contest.managerName" -}}{{ include "contest.fullname" . }}-manager{{- end -}}
{{- define "contest.postgresqlName" -}}{{ include "contest.fullname" . }}-postgresql{{- end -}}

{{- define "contest.rankServiceAccount" -}}
{{- default (printf "%s-rank" (include "contest.fullname" .)) .Values.rank.serviceAccountName -}}
{{- end -}}

{{- define "contest.cnpgClusterName" -}}
{{- default (printf "%s-pg" (include "contest.fullname" .)) .Values.database.cloudnativepg.clusterName -}}
{{- end -}}

{{/* The Secret and key holding the database DSN, whichever mode provides it. */}}
{{- define "contest.databaseSecretName" -}}
{{- $mode := .Values.database.mode -}}
{{- if eq $mode "cloudnativepg" -}}
{{- printf "%s-app" (include "contest.cnpgClusterName" .) -}}
{{- else if eq $mode "bundled" -}}
{{- printf "%s-database" (include "contest.fullname" .) -}}
{{- else -}}
{{- default (printf "%s-database" (include "contest.fullname" .)) .Values.database.existingSecret.name -}}
{{- end -}}
{{- end -}}

{{- define "contest.databaseSecretKey" -}}
{{- $mode := .Values.database.mode -}}
{{- if eq $mode "cloudnativepg" -}}uri
{{- else if eq $mode "bundled" -}}dsn
{{- else -}}{{ .Values.database.existingSecret.key }}
{{- end -}}
{{- end -}}

{{- define "contest.secretKeySecretName" -}}
{{- default (include "contest.webName" .) .Values.web.secretKey.existingSecret -}}
{{- end -}}

{{- define "contest.adminSecretName" -}}
{{- default (printf "%s-admin" (include "contest.fullname" .)) .Values.admin.existingSecret -}}
{{- end -}}

{{/* The platform's image: one image for the operator, the web app and the ranking Jobs. */}}
{{- define "contest.image" -}}
{{- $img := .Values.image -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $img.repository $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $img.repository (default .Chart.AppVersion $img.tag) -}}
{{- end -}}
{{- end -}}

{{/* The namespaces the operator watches; empty means all. */}}
{{- define "contest.watchNamespaces" -}}
{{- if has "*" .Values.operator.watchNamespaces -}}
{{- else if .Values.operator.watchNamespaces -}}
{{- join "," (uniq .Values.operator.watchNamespaces) -}}
{{- else -}}
{{- .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{/* The contest the web app serves: web.contest, else the first round's contest id. */}}
{{- define "contest.webContest" -}}
{{- if .Values.web.contest -}}
{{- .Values.web.contest -}}
{{- else if .Values.rounds -}}
{{- $first := index .Values.rounds 0 -}}
{{- if and $first.spec $first.spec.contest -}}{{ $first.spec.contest.id }}{{- end -}}
{{- end -}}
{{- end -}}

{{- define "contest.selectorLabels" -}}
app.kubernetes.io/name: contest-platform
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of every object: call with (dict "root" $ "component" "web"). */}}
{{- define "contest.labels" -}}
{{ include "contest.selectorLabels" . }}
app.kubernetes.io/part-of: contest-platform
app.kubernetes.io/version: {{ default .root.Chart.AppVersion .root.Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Environment every container that talks to the database gets. */}}
{{- define "contest.databaseEnv" -}}
- name: CONTEST_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "contest.databaseSecretName" . }}
      key: {{ include "contest.databaseSecretKey" . }}
{{- end -}}

{{/*
GOMEMLIMIT for a Go container: 90% of its memory limit, in MiB, so the GC works harder before
the kernel's OOM killer ends the process. Call with (dict "resources" R "path" "web.resources").
Empty without a memory limit; a limit it cannot read fails the render with what to write.
*/}}
{{- define "contest.goMemLimit" -}}
{{- $limit := "" -}}
{{- with .resources }}{{ with .limits }}{{ with .memory -}}
{{- if kindIs "float64" . }}{{ $limit = printf "%.0f" . }}{{ else }}{{ $limit = toString . }}{{ end -}}
{{- end }}{{ end }}{{ end -}}
{{- if $limit -}}
{{- if not (regexMatch "^[1-9][0-9]*(Ki|Mi|Gi|Ti|k|M|G|T)?$" $limit) -}}
{{- fail (printf "%s.limits.memory=%s: write it as whole bytes or with a suffix Ki, Mi, Gi, Ti, k, M, G or T (e.g. 512Mi), so the chart can set GOMEMLIMIT to 90%% of it" .path $limit) -}}
{{- end -}}
{{- $n := regexReplaceAll "^([0-9]+).*$" $limit "${1}" | int64 -}}
{{- $unit := regexReplaceAll "^[0-9]+" $limit "" -}}
{{- $factor := get (dict "" 1 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000) $unit -}}
{{- div (mul $n $factor 9) 10485760 -}}MiB
{{- end -}}
{{- end -}}

{{/* The public address of the site: web.recovery.publicURL, else the ingress's host. */}}
{{- define "contest.publicURL" -}}
{{- if .Values.web.recovery.publicURL -}}
{{ .Values.web.recovery.publicURL }}
{{- else if and .Values.web.ingress.enabled .Values.web.ingress.host -}}
{{ ternary "https" "http" .Values.web.ingress.tls.enabled }}://{{ .Values.web.ingress.host }}
{{- end -}}
{{- end -}}

{{/*
The web app's account recovery settings (docs/operations.md, "Account recovery"): secrets
from the Secrets named in values, the rest as values; nothing when recovery is off.
*/}}
{{- define "contest.recoveryEnv" -}}
{{- $r := .Values.web.recovery -}}
{{- with include "contest.publicURL" $ }}
# The site's address: reset links, link previews and the banner kit's codes.
- name: CONTEST_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
{{- with $r.helpdeskContact }}
- name: CONTEST_HELPDESK_CONTACT
  value: {{ . | quote }}
{{- end }}
{{- with $r.email }}{{ if .existingSecret }}
# Reset emails: the SMTP server's URL (with credentials) from a Secret.
- name: CONTEST_SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .urlKey }}
{{- with .passwordKey }}
- name: CONTEST_SMTP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $r.email.existingSecret }}
      key: {{ . }}
{{- end }}
- name: CONTEST_SMTP_FROM
  value: {{ .from | quote }}
{{- end }}{{ end }}
{{- with $r.sms }}{{ if .url }}
# Reset codes by SMS through the provider's HTTP API.
- name: CONTEST_SMS_URL
  value: {{ .url | quote }}
- name: CONTEST_SMS_METHOD
  value: {{ .method | quote }}
{{- if .authHeader }}
- name: CONTEST_SMS_AUTH_HEADER
  value: {{ .authHeader | quote }}
- name: CONTEST_SMS_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .tokenKey }}
{{- end }}
- name: CONTEST_SMS_CONTENT_TYPE
  value: {{ .contentType | quote }}
{{- with .body }}
- name: CONTEST_SMS_BODY
  value: {{ . | quote }}
{{- end }}
{{- with .brandname }}
- name: CONTEST_SMS_BRANDNAME
  value: {{ . | quote }}
{{- end }}
{{- with .success }}
- name: CONTEST_SMS_SUCCESS
  value: {{ . | quote }}
{{- end }}
{{- with .text }}
- name: CONTEST_SMS_TEXT
  value: {{ . | quote }}
{{- end }}
{{- end }}{{ end }}
{{- end -}}

{{/* Checks of combinations the schema cannot express. */}}
{{- define "contest.validate" -}}
{{- if and .Values.web.enabled .Values.web.ingress.enabled (not .Values.web.ingress.host) -}}
{{- fail "web.ingress.enabled needs web.ingress.host: the public host name contestants open (e.g. thi.example.gov.vn)" -}}
{{- end -}}
{{- if not .Values.admin.existingSecret -}}
{{- if and .Values.admin.passwordHash (not .Values.admin.username) -}}
{{- fail "admin.passwordHash is set but admin.username is empty: name the organizers' account (e.g. admin.username: btc); the chart ships no default username" -}}
{{- end -}}
{{- if and .Values.admin.username (not .Values.admin.passwordHash) -}}
{{- fail "admin.username is set but admin.passwordHash is empty: add the hash made with `contest admin hash-password` (in a values file), or give admin.existingSecret" -}}
{{- end -}}
{{- end -}}
{{- with .Values.web.recovery -}}
{{- if and .email.existingSecret (not .email.from) -}}
{{- fail "web.recovery.email.existingSecret is set but web.recovery.email.from is empty: give the sender of reset emails, e.g. \"Ban Tổ chức <no-reply@example.gov.vn>\"" -}}
{{- end -}}
{{- if and .email.existingSecret (not (include "contest.publicURL" $)) -}}
{{- fail "reset emails need the site's address for their links: set web.recovery.publicURL (e.g. https://thi.example.gov.vn), or enable web.ingress with its host" -}}
{{- end -}}
{{- if and .sms.url .sms.authHeader (not .sms.existingSecret) -}}
{{- fail "web.recovery.sms.authHeader is set but web.recovery.sms.existingSecret is empty: name the Secret holding the API credential (key web.recovery.sms.tokenKey)" -}}
{{- end -}}
{{- if and .sms.existingSecret (not .sms.authHeader) -}}
{{- fail "web.recovery.sms.existingSecret is set but web.recovery.sms.authHeader is empty: name the header that carries the credential (e.g. Authorization or X-API-Key)" -}}
{{- end -}}
{{- end -}}
{{- if and (eq .Values.database.mode "existingSecret") (not .Values.database.existingSecret.key) -}}
{{- fail "database.existingSecret.key is empty: name the key that holds the DSN (default dsn)" -}}
{{- end -}}
{{- with .Values.database.readReplica -}}{{- if .enabled -}}
{{- if eq $.Values.database.mode "bundled" -}}
{{- fail "database.readReplica.enabled: the bundled database has no replica; use database.mode cloudnativepg, or a PostgreSQL with a replica and its DSN in database.readReplica.existingSecret" -}}
{{- end -}}
{{- if and (eq $.Values.database.mode "existingSecret") (not .existingSecret.name) -}}
{{- fail "database.readReplica.enabled needs database.readReplica.existingSecret.name: the Secret holding the replica's DSN (key database.readReplica.existingSecret.key)" -}}
{{- end -}}
{{- end -}}{{- end -}}
{{- $names := dict -}}
{{- range $i, $r := .Values.rounds -}}
{{- if hasKey $names $r.name -}}
{{- fail (printf "rounds[%d]: the name %q is used twice" $i $r.name) -}}
{{- end -}}
{{- $_ := set $names $r.name true -}}
{{- end -}}
{{- end -}}

{{/* Labels of pods: no chart or version label, so a chart upgrade alone restarts nothing. */}}
{{- define "contest.podLabels" -}}
{{ include "contest.selectorLabels" . }}
app.kubernetes.io/part-of: contest-platform
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

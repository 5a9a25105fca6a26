import type { TicketText } from './demo-texts.js';

/** Incidents in the infrastructure and access: network, telephony, identity. */
export const INFRASTRUCTURE_INCIDENTS: TicketText[] = [
  {
    kind: 'incident',
    category: 'Network/VPN & Remote Access',
    service: 'VPN',
    team: 'network',
    impact: 3,
    urgency: 2,
    title: 'VPN drops every few minutes when working from home',
    description:
      'Since yesterday my VPN disconnects every 5–10 minutes and I have to reconnect. Home broadband is fine otherwise (video calls without VPN work). Laptop {asset}.',
    notes: [
      'Client logs show DPD timeouts, not auth failures. Home router does SIP ALG on UDP 4500.',
      'Asked {first} to try the TCP 443 fallback profile.',
    ],
    hold: [
      'awaiting_requester',
      'Could you switch to the "VPN (TCP fallback)" profile and work on it for half a day? Let me know if it still drops.',
    ],
    reply: 'Used the fallback profile all morning, not a single drop.',
    resolution: [
      'solved_workaround',
      'Home router drops long-lived UDP sessions. Set the TCP fallback profile as default on {asset}; advised disabling SIP ALG on the router.',
    ],
  },
  {
    kind: 'incident',
    category: 'Network/VPN & Remote Access',
    service: 'VPN',
    team: 'identity',
    impact: 3,
    urgency: 1,
    title: 'VPN says "authentication failed" after password change',
    description:
      'I changed my password this morning as prompted and now the VPN client says authentication failed. I can sign in to the laptop fine. Cannot work from home at all.',
    notes: [
      'Sign-in logs: VPN gateway still presents the old cached credential. MFA not reached.',
      'Cleared saved credentials in the VPN client remotely.',
    ],
    hold: [
      'awaiting_requester',
      'I have cleared the saved password on your laptop. Please reconnect and enter your new password when asked, then tell me if it works.',
    ],
    reply: 'Connected with the new password, thanks.',
    resolution: [
      'solved_remotely',
      'VPN client had the old password saved. Cleared the stored credential; {first} reconnected with the new password.',
    ],
  },
  {
    kind: 'incident',
    category: 'Network/Wi-Fi',
    service: 'Wi-Fi',
    team: 'network',
    impact: 2,
    urgency: 2,
    sites: ['Manchester', 'Hamburg', 'Chicago'],
    title: 'Wi-Fi keeps dropping in the {site} warehouse',
    description:
      'Handheld scanners and laptops in the {site} warehouse lose Wi-Fi several times an hour, mostly near the loading bays. Pickers have to walk back to re-scan.',
    notes: [
      'Controller shows two APs by bay 4 rebooting on PoE faults.',
      'Switch port budget exceeded after the new cameras were added. Moved cameras to the second switch.',
    ],
    hold: [
      'awaiting_vendor',
      'One access point has failed and a replacement is on order from the supplier; the neighbouring APs are covering meanwhile.',
    ],
    reply: 'Drops are much less frequent now, thanks.',
    resolution: [
      'solved_permanently',
      'PoE budget on the bay switch was exceeded; redistributed cameras and replaced the failed AP. No drops in 48 hours of controller logs.',
    ],
  },
  {
    kind: 'incident',
    category: 'Network/Site Connectivity',
    service: 'Internet Access',
    team: 'network',
    impact: 2,
    urgency: 3,
    title: 'Internet very slow at the {site} office in the afternoons',
    description:
      'Every afternoon from about 14:00 web pages take ages to load and video calls break up. Mornings are fine. Several of us on the second floor notice it.',
    notes: [
      'Link graph shows the breakout saturating at 14:00–17:00: cloud backup job starts at 14:00 local.',
      'Rescheduled the backup window to 20:00 and added QoS for video.',
    ],
    hold: ['awaiting_change', 'The fix needs a QoS change on the site router; it is scheduled in tonight’s change window.'],
    reply: 'Much better today, calls were clear all afternoon.',
    resolution: [
      'resolved_by_change',
      'Backup traffic was saturating the link in the afternoon. Moved the backup window and applied QoS for real-time traffic.',
    ],
  },
  {
    kind: 'incident',
    category: 'Network/Site Connectivity',
    service: 'Site WAN Links',
    team: 'network',
    impact: 2,
    urgency: 1,
    alert: true,
    title: 'Primary WAN link to {site} down, traffic on backup link',
    description:
      'Monitoring: the MPLS circuit to {site} stopped responding; SD-WAN failed over to the 4G/broadband backup. Applications reachable but slower.',
    notes: [
      'Carrier ticket opened; they see loss of light on their side.',
      'Backup link at 70% utilisation; asked site to postpone large uploads.',
    ],
    hold: [
      'awaiting_vendor',
      'The carrier has found a fibre fault in the street and is sending an engineer. Traffic runs over the backup link meanwhile.',
    ],
    reply: 'Thanks for the update.',
    resolution: [
      'solved_permanently',
      'Carrier repaired a damaged fibre near the site. Primary link restored, SD-WAN failed back, no packet loss for 2 hours.',
    ],
  },
  {
    kind: 'incident',
    category: 'Network/Telephony',
    service: 'Telephony',
    team: 'network',
    impact: 3,
    urgency: 2,
    title: 'Desk phone shows "No service"',
    description:
      'My desk phone has shown "No service" since I came in. I cannot make or take calls; the softphone on my laptop still works.',
    notes: ['Phone is not registering: switch port moved to the data VLAN during last week’s desk move.'],
    hold: ['awaiting_requester', 'Could you tell me the number on the floor socket the phone is plugged into? It is on a small label.'],
    reply: 'It is 2-14B.',
    resolution: ['solved_remotely', 'Put port 2-14B back on the voice VLAN; the phone registered straight away.'],
  },
  {
    kind: 'incident',
    category: 'Network/Telephony',
    service: 'Telephony',
    team: 'network',
    impact: 2,
    urgency: 1,
    title: 'Customer hotline calls cut off after about 30 seconds',
    description:
      'Customers calling the hotline get cut off after roughly 30 seconds. Internal calls are fine. Started after lunch today and the queue is building up.',
    notes: [
      'Classic missing ACK: SIP session timer mismatch with the carrier trunk after their maintenance.',
      'Carrier confirmed a change on their SBC this morning.',
    ],
    hold: ['awaiting_vendor', 'The carrier has confirmed a change on their side and is rolling it back.'],
    reply: 'Calls are staying connected now.',
    resolution: [
      'resolved_by_change',
      'The carrier rolled back a session-timer change on their border controller; test calls held for 20 minutes.',
    ],
  },
  {
    kind: 'incident',
    category: 'Network/Site Connectivity',
    service: 'DNS & DHCP',
    team: 'network',
    impact: 2,
    urgency: 2,
    title: 'Cannot reach the intranet or file shares by name from {site}',
    description:
      'Since this morning the intranet says "site can’t be reached" and mapped drives are disconnected. Using the IP address from a colleague works, so it looks like names do not resolve.',
    notes: ['DHCP scope at {site} is handing out the retired DNS server.', 'Corrected scope options; leases renew within the hour.'],
    hold: ['awaiting_requester', 'Please restart your laptop (or run "ipconfig /renew") and tell me if the intranet opens.'],
    reply: 'Restarted and everything is back.',
    resolution: [
      'solved_permanently',
      'DHCP scope still pointed at the decommissioned DNS server. Fixed the scope options; clients picked up the right server on renewal.',
    ],
  },
  {
    kind: 'incident',
    category: 'Access/Password & MFA',
    service: 'Directory',
    team: 'desk',
    impact: 3,
    urgency: 1,
    title: 'Account locked out after changing my password',
    description: 'I changed my password and now I keep getting locked out every few minutes. I think my phone still has the old one.',
    notes: ['Lockout source: mobile mail client with the old password, retrying every 2 minutes.'],
    hold: [
      'awaiting_requester',
      'Please remove and re-add your work account on your phone, or update the password there, then let me know.',
    ],
    reply: 'Updated the password on my phone, no more lockouts.',
    resolution: [
      'solved_remotely',
      'Unlocked the account and found the phone retrying with the old password. {first} updated it; no lockouts since.',
    ],
  },
  {
    kind: 'incident',
    category: 'Access/Password & MFA',
    service: 'MFA',
    team: 'identity',
    impact: 3,
    urgency: 2,
    title: 'MFA push notifications not arriving on my new phone',
    description:
      'I moved the authenticator app to a new phone at the weekend. Sign-in now waits for approval but nothing arrives. I am using codes from my old phone for now.',
    notes: ['Device registration still points at the old phone. Removed it.', 'Sent a new enrolment link.'],
    hold: [
      'awaiting_requester',
      'I have sent you an enrolment link. Please scan the code with the app on your new phone and tell me when done.',
    ],
    reply: 'Done, push notifications arrive now.',
    resolution: ['solved_permanently', 'Removed the old device registration and re-enrolled the new phone; push approvals work.'],
  },
  {
    kind: 'incident',
    category: 'Software/Business Application',
    service: 'Single Sign-On',
    team: 'identity',
    impact: 2,
    urgency: 2,
    title: 'CRM sign-in loops back to the login page',
    description:
      'When I open the CRM it goes to the company sign-in page, I sign in, and it sends me straight back to the sign-in page again. Same in Chrome and Edge. Two colleagues have the same problem.',
    notes: [
      'SAML responses rejected by CRM: signing certificate rolled over yesterday and the CRM still trusts the old one.',
      'Uploaded the new certificate to the CRM tenant.',
    ],
    hold: ['awaiting_vendor', 'The CRM vendor needs to refresh their cached metadata; we have asked them to.'],
    reply: 'It works again, thank you.',
    resolution: [
      'solved_permanently',
      'The SSO signing certificate was renewed without updating the CRM. Uploaded the new certificate and added the CRM to the rollover checklist.',
    ],
  },
  {
    kind: 'incident',
    category: 'Access/Permissions & Groups',
    service: 'File Storage',
    team: 'identity',
    impact: 3,
    urgency: 2,
    title: '"Access denied" on the Finance shared folder',
    description: 'I can no longer open the Finance\\Month-end folder. It worked last week. I need the reconciliation files for month end.',
    notes: ['{first} was removed from FIN-MonthEnd in the quarterly access review by mistake (cost centre changed).'],
    hold: ['awaiting_requester', 'Access to this folder needs your line manager’s approval. Please ask them to reply here to confirm.'],
    reply: 'My manager has replied to confirm, see the e-mail forwarded to the desk.',
    resolution: [
      'solved_permanently',
      'Re-added {first} to FIN-MonthEnd with manager approval; corrected the cost centre so the next review keeps it.',
    ],
  },
];
